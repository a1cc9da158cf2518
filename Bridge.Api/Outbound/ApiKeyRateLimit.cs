using System.Threading.RateLimiting;
using Bridge.Security.RateLimits;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Outbound;

/// <summary>
/// One limit's token bucket per API key: each key may make <c>Burst</c> requests at once, then <c>PermitsPerSecond</c>.
/// A refusal counts in <c>bridge.requests.rate_limited</c> under the limit's <c>endpoint</c>.
/// </summary>
public sealed class ApiKeyRateLimit : IDisposable
{
    private readonly ClientRateLimit _limit;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly RateLimitMetrics _metrics;

    public ApiKeyRateLimit(ClientRateLimit limit, IOptionsMonitor<ClientRateLimitOptions> options, RateLimitMetrics metrics)
    {
        var settings = options.Get(limit.PolicyName);
        _limit = limit;
        _metrics = metrics;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => settings.TokenBucket()));
    }

    /// <summary>The settings' section, as refusals name it (<c>RateLimits:OutboundCalls</c>).</summary>
    public string SectionName => _limit.SectionName;

    /// <summary>True when <paramref name="keyName"/> may go on now; else how long to wait.</summary>
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
        _metrics.RateLimited(_limit.PolicyName);
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
