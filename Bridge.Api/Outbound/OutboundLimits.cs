using Bridge.Security.RateLimits;

namespace Bridge.Api.Outbound;

/// <summary>The outbound API's rate limits: per client address before the key is checked, then per key.</summary>
public static class OutboundLimits
{
    /// <summary>Requests to <c>/calls</c> from one address, valid key or not: what a key-guessing flood meets first.</summary>
    public static ClientRateLimit Addresses { get; } = new("outbound-api", "RateLimits:OutboundApi", 5, 20);

    /// <summary>Calls one API key may place: 20 at once, then 2 a second.</summary>
    public static ClientRateLimit PerKey { get; } = new("outbound-calls", "RateLimits:OutboundCalls", 2, 20);

    /// <summary>
    /// Status requests (<c>GET /calls</c>) one API key may make, each a request to Twilio on the account the media
    /// worker's own requests share: as many and as fast as the key may place calls, whatever addresses it comes from.
    /// </summary>
    public static ClientRateLimit StatusPerKey { get; } = new("outbound-status", "RateLimits:OutboundStatus", 2, 20);
}
