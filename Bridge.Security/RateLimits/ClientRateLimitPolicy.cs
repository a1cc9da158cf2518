using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Bridge.Security.RateLimits;

/// <summary>
/// A token bucket per client address for the endpoints of one <see cref="ClientRateLimit"/>. It runs as middleware,
/// so a refused request costs no signature check and no WebSocket upgrade: it gets 429 with Retry-After, a count
/// in <c>bridge.requests.rate_limited</c> and a (throttled) log line.
/// </summary>
internal sealed class ClientRateLimitPolicy(
    ClientRateLimit limit,
    ClientRateLimitOptions options,
    RateLimitMetrics metrics,
    RateLimitRefusalLog log) : IRateLimiterPolicy<string>
{
    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetTokenBucketLimiter(ClientAddress.PartitionKey(httpContext.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            AutoReplenishment = true,
            QueueLimit = 0,
        });

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        metrics.RateLimited(limit.PolicyName);
        log.Refused(ClientAddress.PartitionKey(context.HttpContext.Connection.RemoteIpAddress));
        return ValueTask.CompletedTask;
    };
}
