using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Bridge.Security.Refusals;

/// <summary>
/// Twilio requests refused before they were served (a bad signature, a body too large, ...): counted in
/// <c>bridge.requests.refused</c> by <c>reason</c>, and logged through a <see cref="RefusalLog"/>.
/// </summary>
public sealed class RequestRefusals
{
    public const string RefusedName = "bridge.requests.refused";

    private readonly Counter<long> _refused;
    private readonly RefusalLog _log;

    public RequestRefusals(IMeterFactory meterFactory, ILogger<RequestRefusals> logger, TimeProvider time)
    {
        var meter = meterFactory.Create(RateLimits.RateLimitMetrics.MeterName);
        _refused = meter.CreateCounter<long>(RefusedName, description: "Twilio requests refused before they were served (403, 413, 415, 400), by reason.");
        _log = new RefusalLog("a Twilio request", logger, time);
    }

    public void Refused(string reason, string detail)
    {
        _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _log.Refused(reason, detail);
    }
}
