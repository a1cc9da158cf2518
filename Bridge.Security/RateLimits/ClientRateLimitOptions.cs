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
}
