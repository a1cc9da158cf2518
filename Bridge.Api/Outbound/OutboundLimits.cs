using Bridge.Security.RateLimits;

namespace Bridge.Api.Outbound;

/// <summary>The outbound API's rate limits: per client address before the key is checked, then per key.</summary>
public static class OutboundLimits
{
    /// <summary>Requests to <c>/calls</c> from one address, valid key or not: what a key-guessing flood meets first.</summary>
    public static ClientRateLimit Addresses { get; } = new("outbound-api", "RateLimits:OutboundApi", 5, 20);

    /// <summary>Calls one API key may place: 20 at once, then 2 a second.</summary>
    public static ClientRateLimit PerKey { get; } = new("outbound-calls", "RateLimits:OutboundCalls", 2, 20);
}
