using Bridge.Security.Refusals;
using Microsoft.Extensions.Logging;

namespace Bridge.Security.RateLimits;

/// <summary>
/// Logs refusals without letting a flood flood the log: every refusal at Debug, and at most one Warning per
/// <see cref="ReportInterval"/> per limit, counting the refusals since the previous one.
/// </summary>
public sealed partial class RateLimitRefusalLog(string endpoint, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan ReportInterval = RefusalLog.ReportInterval;

    private readonly ReportThrottle _reports = new(ReportInterval, time);

    public void Refused(string client)
    {
        LogRefused(endpoint, client);
        if (_reports.Count(out var refused))
        {
            LogRefusing(endpoint, refused, client);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a {Endpoint} request from {Client}: over its rate limit")]
    private partial void LogRefused(string endpoint, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refusing {Endpoint} requests over the per-client rate limit: {Refused} refused since the last report, the latest from {Client}")]
    private partial void LogRefusing(string endpoint, long refused, string client);
}
