using Microsoft.Extensions.Logging;

namespace Bridge.Security.RateLimits;

/// <summary>
/// Logs refusals without letting a flood flood the log: every refusal at Debug, and at most one Warning per
/// <see cref="ReportInterval"/> per limit, counting the refusals since the previous one.
/// </summary>
public sealed partial class RateLimitRefusalLog(string endpoint, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private long _refusedSinceReport;
    private long _nextReportTimestamp = long.MinValue;

    public void Refused(string client)
    {
        LogRefused(endpoint, client);
        Interlocked.Increment(ref _refusedSinceReport);

        var now = time.GetTimestamp();
        var due = Interlocked.Read(ref _nextReportTimestamp);
        var next = now + (long)(ReportInterval.TotalSeconds * time.TimestampFrequency);
        if (now >= due && Interlocked.CompareExchange(ref _nextReportTimestamp, next, due) == due)
        {
            LogRefusing(endpoint, Interlocked.Exchange(ref _refusedSinceReport, 0), client);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a {Endpoint} request from {Client}: over its rate limit")]
    private partial void LogRefused(string endpoint, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refusing {Endpoint} requests over the per-client rate limit: {Refused} refused since the last report, the latest from {Client}")]
    private partial void LogRefusing(string endpoint, long refused, string client);
}
