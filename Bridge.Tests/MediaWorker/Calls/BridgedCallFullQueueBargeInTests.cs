using Bridge.TwilioStandIn.Media;
using Bridge.Emulator;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Xunit.Abstractions;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// A long answer fills the playback queue (Calls:MaxQueuedAudio) while more of it is still coming from the model:
/// when the caller interrupts, the model's signal sits behind that audio, and the call must act on it at once.
/// </summary>
public sealed class BridgedCallFullQueueBargeInTests(ITestOutputHelper output)
{
    // 6 s of speech: the emulator (20× real time) answers at about 6.6 s with a 6 s echo, all of it sent within
    // ~0.3 s. The queue holds 1 s (plus 0.3 s at Twilio); the other ~4.7 s waits for room. The caller talks again at
    // 8.6 s, 2 s into the answer.
    private static MediaStreamOptions Caller() => new()
    {
        Audio = SimulatedCaller.Saying(
            CallRig.Speech(TimeSpan.FromSeconds(6)),
            SimulatedCaller.Silence(TimeSpan.FromSeconds(2.6)),
            CallRig.Speech(TimeSpan.FromSeconds(0.8)),
            SimulatedCaller.Silence(TimeSpan.FromSeconds(1))),
        HangUpAfterQuiet = TimeSpan.FromSeconds(1),
        MaxDuration = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task An_interruption_behind_audio_waiting_for_room_clears_the_line_at_once()
    {
        var outcome = await CallRig.RunAsync(
            new EmulatorOptions { OutputSpeed = 20 }, Caller(), options: new CallOptions { MaxQueuedAudio = TimeSpan.FromSeconds(1) });
        using var metrics = outcome.Metrics;
        output.WriteLine(outcome.Summary.Message);
        output.WriteLine($"heard {outcome.Caller.HeardAudio.TotalSeconds:0.00} s, clears {outcome.Caller.Clears}");

        Assert.Equal(1, outcome.Summary.Number("Interruptions"));
        Assert.Equal(1, outcome.Caller.Clears);
        // Cut about 2–3 s in (2.8 s measured). Had the signal waited behind the queued-up audio: 5.5 s measured.
        Assert.InRange(outcome.Caller.HeardAudio.TotalSeconds, 1.5, 4.0);
    }
}
