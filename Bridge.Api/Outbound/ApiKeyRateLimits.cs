using System.Threading.RateLimiting;
using Bridge.Security.RateLimits;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Outbound;

/// <summary>
/// A token bucket per API key (<c>RateLimits:OutboundCalls</c>): each key may place <c>Burst</c> calls at once, then
/// <c>PermitsPerSecond</c>. Checked once the key is known, before anything costs money.
/// </summary>
public sealed class ApiKeyRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly RateLimitMetrics _metrics;

    public ApiKeyRateLimits(IOptionsMonitor<ClientRateLimitOptions> options, RateLimitMetrics metrics)
    {
        var settings = options.Get(OutboundLimits.PerKey.PolicyName);
        _metrics = metrics;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = settings.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            AutoReplenishment = true,
            QueueLimit = 0,
        }));
    }

    /// <summary>True when <paramref name="keyName"/> may place a call now; else how long to wait.</summary>
    public bool TryAcquire(string keyName, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(keyName);
        retryAfter = TimeSpan.FromSeconds(1);
        if (lease.IsAcquired)
        {
            return true;
        }
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
        {
            retryAfter = wait;
        }
        _metrics.RateLimited(OutboundLimits.PerKey.PolicyName);
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
