using System.Threading.RateLimiting;

namespace Bridge.Security.RateLimits;

/// <summary>
/// A token bucket per client address: <see cref="Burst"/> requests at once, refilled by
/// <see cref="PermitsPerSecond"/> every second. Sections <c>RateLimits:Webhooks</c> and <c>RateLimits:MediaStreams</c>.
/// </summary>
public sealed class ClientRateLimitOptions
{
    public const int MaxPermitsPerSecond = 100_000;
    public const int MaxBurst = 1_000_000;

    /// <summary>Requests a client may sustain, per second.</summary>
    public int PermitsPerSecond { get; set; }

    /// <summary>Requests a client may make at once, after a quiet spell (the bucket's size).</summary>
    public int Burst { get; set; }

    /// <summary>The bucket these settings describe, for one partition: refilled every second, nothing queued.</summary>
    public TokenBucketRateLimiterOptions TokenBucket() => new()
    {
        TokenLimit = Burst,
        TokensPerPeriod = PermitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        AutoReplenishment = true,
        QueueLimit = 0,
    };
}
