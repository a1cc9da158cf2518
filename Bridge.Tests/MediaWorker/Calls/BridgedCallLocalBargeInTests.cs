using Bridge.TwilioStandIn.Media;
using Bridge.Emulator;
using Bridge.NovaSonic;
using Bridge.Tests.Support;
using Xunit.Abstractions;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// After a model stream fails mid-answer, the new stream never produced the audio still playing and cannot hear the
/// caller talk over it: the call interrupts that audio itself.
/// </summary>
public sealed class BridgedCallLocalBargeInTests(ITestOutputHelper output)
{
    // Start sequence (sessionStart, promptStart, the system prompt's three events, the audio contentStart), then one
    // event per 40 ms of caller audio: the 100th input event is at about 3.8 s of the call.
    private const string FailMidAnswer = "exception=modelStreamErrorException@100";

    // 2.5 s of speech: the emulator answers at about 3.1 s with a 2.5 s echo, which plays until about 5.6 s.
    // The stream fails at about 3.8 s; the caller talks again at 4.7 s, over the failed stream's echo. The margins
    // (0.9 s after the failure, 0.7 s before the echo ends) keep the order on a busy machine.
    private static MediaStreamOptions Caller() => new()
    {
        Audio = SimulatedCaller.Saying(
            CallRig.Speech(TimeSpan.FromSeconds(2.5)),
            SimulatedCaller.Silence(TimeSpan.FromSeconds(2.2)),
            CallRig.Speech(TimeSpan.FromSeconds(0.8)),
            SimulatedCaller.Silence(TimeSpan.FromSeconds(1))),
        HangUpAfterQuiet = TimeSpan.FromSeconds(1),
        MaxDuration = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task Caller_speech_over_audio_from_a_failed_stream_clears_it_locally()
    {
        var outcome = await CallRig.RunAsync(new EmulatorOptions { OutputSpeed = 20 }, Caller(),
            emulator => emulator.Faults.InjectIntoNextStream(FailMidAnswer));
        using var metrics = outcome.Metrics;
        output.WriteLine(outcome.Summary.Message);
        var summary = outcome.Summary;

        Assert.Equal(1, summary.Number("Renewals"));
        Assert.Equal(1, summary.Number("Interruptions"));
        Assert.Equal(1, summary.Number("LocalInterruptions"));
        Assert.Equal(1, outcome.Caller.Clears);
        // The 2.5 s echo was cut about a second in (whole, the two echoes would have been 3.3 s).
        Assert.InRange(outcome.Caller.HeardAudio.TotalSeconds, 1.3, 2.9);
        Assert.Single(outcome.Log.Entries, e => e.EventName == "LocalBargeIn");
        Assert.Equal("local", Assert.Single(metrics.Measurements, m => m.Instrument == "bridge.interruptions").Tags["source"]);
        // The failed stream never gave its final transcript: the history keeps what the caller heard of its plan.
        // (where the text is cut depends on how much played: "[echoing…" or "[echoing 2.5 s…").
        var assistant = outcome.History.First(t => t.Role == NovaRole.Assistant);
        Assert.StartsWith("[echoing", assistant.Text);
        Assert.EndsWith("…", assistant.Text);
        // The new stream heard the interruption as the caller's next words.
        Assert.Contains(outcome.History, t => t == new NovaTurn(NovaRole.User, "[caller spoke for 0.8 s]"));
    }

    [Fact]
    public async Task Without_a_stream_switch_the_models_own_barge_in_clears_the_audio()
    {
        var outcome = await CallRig.RunAsync(new EmulatorOptions { OutputSpeed = 20 }, Caller());
        using var metrics = outcome.Metrics;
        output.WriteLine(outcome.Summary.Message);

        Assert.Equal(0, outcome.Summary.Number("Renewals"));
        Assert.Equal(1, outcome.Summary.Number("Interruptions"));
        Assert.Equal(0, outcome.Summary.Number("LocalInterruptions"));
        Assert.Equal(1, outcome.Caller.Clears);
        Assert.Equal("model", Assert.Single(metrics.Measurements, m => m.Instrument == "bridge.interruptions").Tags["source"]);
    }
}
