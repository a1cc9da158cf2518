using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Bridge.Security.RateLimits;

/// <summary>
/// A token bucket per client address for the endpoints of one <see cref="ClientRateLimit"/>. It runs as middleware,
/// so a refused request costs no signature check and no WebSocket upgrade: it gets 429 with Retry-After and an RFC 7807
/// problem naming the limit's settings, a count in <c>bridge.requests.rate_limited</c> and a (throttled) log line.
/// </summary>
internal sealed class ClientRateLimitPolicy(
    ClientRateLimit limit,
    ClientRateLimitOptions options,
    RateLimitMetrics metrics,
    RateLimitRefusalLog log) : IRateLimiterPolicy<string>
{
    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetTokenBucketLimiter(ClientAddress.PartitionKey(httpContext.Connection.RemoteIpAddress), _ => options.TokenBucket());

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, _) =>
    {
        var http = context.HttpContext;
        var retry = "try again later";
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            retry = "try again after Retry-After seconds";
        }
        metrics.RateLimited(limit.PolicyName);
        log.Refused(ClientAddress.PartitionKey(http.Connection.RemoteIpAddress));
        // An RFC 7807 problem, like every other refusal of these services' HTTP endpoints.
        await TooManyRequestsProblem.Create(
            title: "Too many requests from this address.",
            detail: $"This client address is over {limit.SectionName}; {retry}.").ExecuteAsync(http);
    };
}
