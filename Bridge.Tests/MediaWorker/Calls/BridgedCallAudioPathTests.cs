using Bridge.TwilioStandIn.Media;
using Bridge.Emulator;
using Bridge.Tests.Support;
using Xunit.Abstractions;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>The audio-path metrics of a whole call: the simulator impairs the line or the emulator starves playback.</summary>
public sealed class BridgedCallAudioPathTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dropped_and_delayed_caller_frames_show_as_gaps_loss_lateness_and_jitter()
    {
        var outcome = await CallRig.RunAsync(new EmulatorOptions(), new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(3))),
            HangUpAfterQuiet = TimeSpan.FromMilliseconds(300),
            Impairment = new LineImpairment { DropFrames = 0.02, Jitter = TimeSpan.FromMilliseconds(200), Seed = 7 },
        });
        using var metrics = outcome.Metrics;
        output.WriteLine(outcome.Summary.Message);
        var summary = outcome.Summary;

        // Every 50th frame is dropped: isolated one-frame holes in the timestamps.
        var gaps = summary.Number("InboundGaps");
        Assert.InRange(gaps, 2, 4);
        Assert.Equal(gaps, summary.Number("InboundFramesLost"));
        Assert.Equal(20 * gaps, summary.Number("InboundGapMs"));
        Assert.Equal(0, summary.Number("InboundFramesOutOfOrder"));
        // Delays up to 200 ms, frames queued behind delayed ones: many arrive over 60 ms late, with tens of ms of jitter.
        Assert.True(summary.Number("InboundFramesLate") >= 10, $"{summary.Number("InboundFramesLate")} late frames");
        Assert.True(summary.Real("InboundJitterMeanMs") >= 10, $"jitter {summary.Real("InboundJitterMeanMs")} ms");
        // The same, as metrics.
        Assert.Equal(gaps, metrics.Values("bridge.audio.inbound.lost").Sum());
        Assert.Equal(Enumerable.Repeat(20.0, (int)gaps), metrics.Values("bridge.audio.inbound.gap"));
        Assert.Equal(summary.Number("InboundFramesLate"), metrics.Values("bridge.audio.inbound.late").Sum());
        Assert.NotEmpty(metrics.Values("bridge.audio.inbound.jitter"));
    }

    [Fact]
    public async Task A_clean_line_shows_no_gaps_or_loss()
    {
        var outcome = await CallRig.RunAsync(new EmulatorOptions(), new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(2))),
            HangUpAfterQuiet = TimeSpan.FromMilliseconds(300),
        });
        using var metrics = outcome.Metrics;
        output.WriteLine(outcome.Summary.Message);

        Assert.True(outcome.Summary.Number("FramesIn") >= 100);
        Assert.Equal(0, outcome.Summary.Number("InboundGaps"));
        Assert.Equal(0, outcome.Summary.Number("InboundFramesLost"));
        Assert.Empty(metrics.Values("bridge.audio.inbound.gap"));
    }

    [Fact]
    public async Task A_model_slower_than_playback_leaves_underruns_in_the_assistants_speech()
    {
        var outcome = await CallRig.RunAsync(new EmulatorOptions { OutputSpeed = 0.5 }, Saying(TimeSpan.FromSeconds(1)));
        using var metrics = outcome.Metrics;
        output.WriteLine(outcome.Summary.Message);
        var summary = outcome.Summary;

        // The echo (1 s) arrives at half speed in 40 ms pieces: playback runs dry after nearly every piece.
        Assert.True(summary.Number("Underruns") >= 8, $"{summary.Number("Underruns")} underruns");
        Assert.InRange(summary.Real("UnderrunMs"), 300, 2500);
        Assert.Equal(summary.Number("Underruns"), metrics.Values("bridge.audio.outbound.underrun").Count);
        Assert.True(outcome.Caller.HeardAudio >= TimeSpan.FromSeconds(0.8), $"heard {outcome.Caller.HeardAudio}");
    }

    [Fact]
    public async Task A_model_faster_than_playback_leaves_no_underrun_and_the_summary_shows_the_queue()
    {
        var outcome = await CallRig.RunAsync(new EmulatorOptions { OutputSpeed = 20 }, Saying(TimeSpan.FromSeconds(1)));
        using var metrics = outcome.Metrics;
        output.WriteLine(outcome.Summary.Message);

        // None from the model; a stall of this test machine's own simulated playback could make a brief one at most.
        Assert.InRange(outcome.Summary.Real("UnderrunMs"), 0, 100);
        Assert.Equal(outcome.Summary.Number("Underruns"), metrics.Values("bridge.audio.outbound.underrun").Count);
        // Nearly all of the 1 s echo waited in the queue at once (the playback lead takes 300 ms of it at most).
        Assert.InRange(outcome.Summary.Real("MaxQueuedMs"), 500, 1100);
        Assert.Equal(metrics.Values("bridge.audio.queue").Max(), outcome.Summary.Real("MaxQueuedMs"));
    }

    private static MediaStreamOptions Saying(TimeSpan speech) => new()
    {
        Audio = SimulatedCaller.Saying(CallRig.Speech(speech), SimulatedCaller.Silence(TimeSpan.FromSeconds(1))),
        HangUpAfterQuiet = TimeSpan.FromSeconds(1),
        MaxDuration = TimeSpan.FromSeconds(20),
    };
}
