using System.Diagnostics.Metrics;
using Bridge.Emulator;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Bridge.TwilioStandIn.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Xunit.Abstractions;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// A few whole calls in real time through the real parts (the simulator as Twilio, the emulator as Nova): that they
/// fit together. What the call does with time — pacing, barge-in, underruns, stale audio — is tested on fake time.
/// </summary>
public sealed class BridgedCallEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dropped_and_delayed_caller_frames_show_as_gaps_loss_and_lateness()
    {
        using var meters = CallRig.NewMeters();
        using var lost = new MetricCollector<long>(Factory(meters), CallTelemetry.MeterName, "bridge.audio.inbound.lost");
        using var gaps = new MetricCollector<double>(Factory(meters), CallTelemetry.MeterName, "bridge.audio.inbound.gap");
        var outcome = await CallRig.RunAsync(new EmulatorOptions(), new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(3))),
            HangUpAfterQuiet = TimeSpan.FromMilliseconds(300),
            Impairment = new LineImpairment { DropFrames = 0.02, Jitter = TimeSpan.FromMilliseconds(200), Seed = 7 },
        }, meters);
        output.WriteLine(outcome.Summary.Message);
        var summary = outcome.Summary;

        // Every 50th frame is dropped (seed 7): isolated one-frame holes in the timestamps.
        var holes = summary.Number("InboundGaps");
        Assert.InRange(holes, 2, 4);
        Assert.Equal(holes, summary.Number("InboundFramesLost"));
        Assert.Equal(20 * holes, summary.Number("InboundGapMs"));
        Assert.Equal(0, summary.Number("InboundFramesOutOfOrder"));
        Assert.Equal(holes, lost.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(Enumerable.Repeat(20.0, (int)holes), gaps.GetMeasurementSnapshot().Select(m => m.Value));
        // Frames queued behind delayed ones arrive late (how many depends on the machine: only that some do).
        Assert.True(summary.Number("InboundFramesLate") > 0, "no late frames");
        Assert.Equal(CallEndReason.CallerHungUp, outcome.EndReason);
    }

    [Fact]
    public async Task The_models_barge_in_clears_the_callers_playback()
    {
        using var meters = CallRig.NewMeters();
        using var interruptions = new MetricCollector<long>(Factory(meters), CallTelemetry.MeterName, "bridge.interruptions");
        // 2.5 s of speech: the emulator (20× real time) answers with a 2.5 s echo; the caller talks again 2.2 s later.
        var outcome = await CallRig.RunAsync(new EmulatorOptions { OutputSpeed = 20 }, new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(
                CallRig.Speech(TimeSpan.FromSeconds(2.5)),
                SimulatedCaller.Silence(TimeSpan.FromSeconds(2.2)),
                CallRig.Speech(TimeSpan.FromSeconds(0.8)),
                SimulatedCaller.Silence(TimeSpan.FromSeconds(1))),
            HangUpAfterQuiet = TimeSpan.FromSeconds(1),
            MaxDuration = TimeSpan.FromSeconds(20),
        }, meters);
        output.WriteLine(outcome.Summary.Message);

        Assert.Equal(1, outcome.Summary.Number("Interruptions"));
        Assert.Equal(0, outcome.Summary.Number("LocalInterruptions"));
        Assert.Equal(1, outcome.Caller.Clears);
        Assert.Equal("model", Assert.Single(interruptions.GetMeasurementSnapshot()).Tags["source"]);
        Assert.Contains(outcome.Log.GetSnapshot(), r => r.Id.Name == "AssistantInterrupted");
        // The caller's hang-up was answered with a close: the handshake completed, no dropped connection.
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, outcome.Caller.CloseStatus);
    }

    private static IMeterFactory Factory(IServiceProvider meters) => meters.GetRequiredService<IMeterFactory>();
}
