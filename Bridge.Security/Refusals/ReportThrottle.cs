namespace Bridge.Security.Refusals;

/// <summary>
/// Counts events and says when one should be reported: at most once per <see cref="Interval"/>, handing over the
/// count since the previous report. Thread-safe; a flood costs one interlocked increment per event.
/// </summary>
public sealed class ReportThrottle(TimeSpan interval, TimeProvider time)
{
    private long _sinceReport;
    private long _nextReportTimestamp = long.MinValue;

    public TimeSpan Interval => interval;

    /// <summary>Counts one event; true (with the count since the last report, this one included) when a report is due.</summary>
    public bool Count(out long sinceLastReport)
    {
        Interlocked.Increment(ref _sinceReport);
        var now = time.GetTimestamp();
        var due = Interlocked.Read(ref _nextReportTimestamp);
        var next = now + (long)(interval.TotalSeconds * time.TimestampFrequency);
        if (now >= due && Interlocked.CompareExchange(ref _nextReportTimestamp, next, due) == due)
        {
            sinceLastReport = Interlocked.Exchange(ref _sinceReport, 0);
            return true;
        }
        sinceLastReport = 0;
        return false;
    }
}
