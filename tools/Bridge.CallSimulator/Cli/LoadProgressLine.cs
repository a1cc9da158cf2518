using System.Globalization;
using Bridge.CallSimulator.Load;

namespace Bridge.CallSimulator.Cli;

/// <summary>
/// A running load test on one line, at most <see cref="MaxWidth"/> columns (fewer on a narrower terminal):
/// <c>0:23/1:00 · 480/500 calls · back 99.9% · p50 3 p99 40 ms · worker 45% 312MB</c>.
/// </summary>
public static class LoadProgressLine
{
    public const int MaxWidth = 80;

    public static string Format(LoadProgress progress, TimeSpan duration, int plannedCalls, int terminalWidth)
    {
        var parts = new List<string>
        {
            $"{Clock(progress.Elapsed)}/{Clock(duration)}",
            progress.Failed == 0
                ? Invariant($"{progress.Active}/{plannedCalls} calls")
                : Invariant($"{progress.Active}/{plannedCalls} calls, {progress.Failed} failed"),
        };
        if (progress.FramesSent > 0)
        {
            parts.Add(Invariant($"back {100.0 * progress.FramesReturned / progress.FramesSent:0.0}%"));
        }
        if (progress.P50Ms is { } p50 && progress.P99Ms is { } p99)
        {
            parts.Add(Invariant($"p50 {p50:0} p99 {p99:0} ms"));
        }
        if (progress.WorkerCpuPercent is { } cpu && progress.WorkerRssMegabytes is { } rss)
        {
            parts.Add(Invariant($"worker {cpu:0}% {rss:0}MB"));
        }

        var line = string.Join(" · ", parts);
        // One column short of the width: a full line would make some terminals wrap the cursor onto the next one.
        var width = Math.Min(MaxWidth, Math.Max(20, terminalWidth)) - 1;
        return line.Length <= width ? line : line[..(width - 1)] + "…";
    }

    private static string Clock(TimeSpan time) =>
        time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
