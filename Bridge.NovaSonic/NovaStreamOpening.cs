using Bridge.Bedrock;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Bridge.NovaSonic;

/// <summary>
/// How new streams are opened, shared by every call of the process: retries with exponential backoff and jitter
/// for retryable failures, inside a circuit breaker so that a Bedrock outage fails new calls fast
/// (<see cref="BrokenCircuitException"/>) instead of making each caller wait through its own retries.
/// </summary>
public sealed class NovaStreamOpening
{
    public NovaStreamOpening(NovaOpeningPolicy policy, TimeProvider time)
    {
        var retryable = new PredicateBuilder().Handle<BedrockStreamException>(e => e.IsRetryable);
        Pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = retryable,
                MaxRetryAttempts = policy.MaxRetries,
                Delay = policy.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = retryable,
                FailureRatio = policy.BreakOnFailureRatio,
                MinimumThroughput = policy.BreakAfterAtLeast,
                SamplingDuration = policy.SamplingDuration,
                BreakDuration = policy.BreakDuration,
            })
            .Build();
    }

    public ResiliencePipeline Pipeline { get; }
}

/// <summary>The numbers of <see cref="NovaStreamOpening"/>.</summary>
public sealed record NovaOpeningPolicy
{
    public int MaxRetries { get; init; } = 3;
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public double BreakOnFailureRatio { get; init; } = 0.5;
    public int BreakAfterAtLeast { get; init; } = 8;
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(15);
}
