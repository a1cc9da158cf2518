using Bridge.Security.RateLimits;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Outbound;

/// <summary>
/// The per-key limits, each a token bucket per API key checked once the key is known, before anything costs money or
/// a request to Twilio: <see cref="Calls"/> (<c>RateLimits:OutboundCalls</c>, <c>POST /calls</c>) and
/// <see cref="Status"/> (<c>RateLimits:OutboundStatus</c>, <c>GET /calls</c>).
/// </summary>
public sealed class ApiKeyRateLimits : IDisposable
{
    public ApiKeyRateLimits(IOptionsMonitor<ClientRateLimitOptions> options, RateLimitMetrics metrics)
    {
        Calls = new ApiKeyRateLimit(OutboundLimits.PerKey, options, metrics);
        Status = new ApiKeyRateLimit(OutboundLimits.StatusPerKey, options, metrics);
    }

    /// <summary>Calls a key may place.</summary>
    public ApiKeyRateLimit Calls { get; }

    /// <summary>Status requests a key may make.</summary>
    public ApiKeyRateLimit Status { get; }

    public void Dispose()
    {
        Calls.Dispose();
        Status.Dispose();
    }
}
