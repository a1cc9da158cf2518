namespace Bridge.Security.RateLimits;

/// <summary>
/// One per-client limit: the endpoints it guards (its policy name, also the metric's <c>endpoint</c> tag), the
/// configuration section that tunes it, and its defaults.
/// </summary>
public sealed record ClientRateLimit(string PolicyName, string SectionName, int DefaultPermitsPerSecond, int DefaultBurst)
{
    /// <summary>
    /// The api's webhooks. Twilio sends up to four requests per call (the call, two stream statuses, the connect
    /// action) from a few addresses: 50/s sustained is about 12 new calls a second from one address, and the burst
    /// lets 125 calls arrive at once.
    /// </summary>
    public static ClientRateLimit Webhooks { get; } = new("webhooks", "RateLimits:Webhooks", 50, 500);

    /// <summary>
    /// The media worker's WebSocket upgrades, one per call: the burst is a full worker's <c>Calls:MaxConcurrent</c>
    /// default arriving at once, then 20 new calls a second from one address.
    /// </summary>
    public static ClientRateLimit MediaStreams { get; } = new("media-streams", "RateLimits:MediaStreams", 20, 200);
}
