using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bridge.Security.Refusals;

/// <summary>
/// Logs what a public endpoint refuses (a bad signature, a full worker, a stream token used twice) without letting a
/// flood flood the log: every refusal at Debug with its detail, and per reason at most one Warning per
/// <see cref="ReportInterval"/>, with the number refused since the previous one and the latest detail.
/// </summary>
public sealed partial class RefusalLog(string what, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ReportThrottle> _reasons = new(StringComparer.Ordinal);

    /// <summary><paramref name="reason"/> is a short, fixed key (it names the throttle); <paramref name="detail"/> says what happened.</summary>
    public void Refused(string reason, string detail)
    {
        LogRefused(what, reason, detail);
        var throttle = _reasons.GetOrAdd(reason, static (_, t) => new ReportThrottle(ReportInterval, t), time);
        if (throttle.Count(out var refused))
        {
            LogRefusing(what, reason, refused, detail);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {What} ({Reason}): {Detail}")]
    private partial void LogRefused(string what, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refusing {What} ({Reason}): {Refused} refused since the last report, the latest: {Detail}")]
    private partial void LogRefusing(string what, string reason, long refused, string detail);
}
