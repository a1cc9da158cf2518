using System.Diagnostics.Metrics;

namespace Bridge.Security.RateLimits;

/// <summary>Requests refused by a per-client limit, tagged with the limit's <c>endpoint</c>.</summary>
public sealed class RateLimitMetrics
{
    public const string MeterName = "Bridge.Security";
    public const string RateLimitedName = "bridge.requests.rate_limited";

    private readonly Counter<long> _rateLimited;

    public RateLimitMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _rateLimited = meter.CreateCounter<long>(RateLimitedName, description: "Requests refused with 429 by a per-client rate limit, by endpoint.");
    }

    public void RateLimited(string endpoint) => _rateLimited.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));
}
