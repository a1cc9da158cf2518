namespace Bridge.HttpTools.Callbacks;

/// <summary>
/// How often, and how far apart, a callback is tried again after a 5xx, a timeout or no connection: a few times,
/// each wait four times the last (1 s, 4 s, 16 s by default, ±20 % so that many callbacks after one outage do not
/// arrive together), a <c>Retry-After</c> honoured up to <see cref="MaxDelay"/>. A refusal (4xx) is never tried again.
/// </summary>
public sealed record CallbackRetryPolicy
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 or later), after an answer that asked for <paramref name="retryAfter"/>.</summary>
    public TimeSpan DelayBefore(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked < MaxDelay ? asked : MaxDelay;
        }
        var backoff = FirstDelay * Math.Pow(4, attempt - 2) * (0.8 + 0.4 * Random.Shared.NextDouble());
        return backoff < MaxDelay ? backoff : MaxDelay;
    }
}
