using System.Globalization;

namespace Bridge.CallSimulator.Load;

/// <summary>
/// Whether a load run passed. It failed when a planned call did not start, when a call failed or ended before the
/// end of the run, when frames were sent and none came back (the model is not in loopback at 8 kHz, say), or when
/// more than <see cref="LoadOptions.MaxLostShare"/> of the measured frames were lost. Late frames are reported, not judged.
/// </summary>
public static class LoadVerdict
{
    public static IReadOnlyList<string> Failures(LoadResult result, double maxLostShare)
    {
        var failures = new List<string>();
        if (result.CallsStarted < result.CallsPlanned)
        {
            failures.Add($"{result.CallsPlanned - result.CallsStarted} of {result.CallsPlanned} calls never started");
        }
        var failedCalls = result.Failures.Values.Sum();
        if (failedCalls > 0)
        {
            failures.Add($"{failedCalls} call(s) failed or ended early");
        }
        if (result.FramesSent == 0)
        {
            failures.Add("no caller frame was sent");
        }
        else if (result.FramesReturned == 0)
        {
            failures.Add("no frame came back (is the emulator in loopback mode, and the model at 8 kHz both ways?)");
        }
        else if (result.FramesMeasured > 0 && (double)result.FramesLost / result.FramesMeasured > maxLostShare)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{100.0 * result.FramesLost / result.FramesMeasured:0.###}% of the frames were lost, more than the {100 * maxLostShare:0.###}% allowed (--max-lost)"));
        }
        return failures;
    }
}
