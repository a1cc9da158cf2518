using Bridge.MediaWorker.Bedrock;
using Bridge.MediaWorker.Nova;
using static Bridge.Tests.MediaWorker.Nova.EmulatedNova;

namespace Bridge.Tests.MediaWorker.Nova;

/// <summary>
/// Caller frames that arrive late and then in a burst, as Twilio's do on a bad network: 1.3 s of the caller's silence
/// reaches the session in a fraction of that on the clock. The caller's pauses are measured in their audio, so the
/// session sees the pause the caller made, whatever the network did to it. Fake time stands still unless a test moves it.
/// </summary>
public sealed class NovaSonicSessionBurstyCallerTests
{
    private static readonly TimeSpan RenewAfter = TimeSpan.FromMinutes(6);

    private readonly ScriptedNovaModel _model = new();
    private readonly List<NovaOutputEvent> _seen = [];

    [Fact]
    public async Task A_pause_that_arrives_in_a_burst_is_a_quiet_moment_for_a_due_renewal()
    {
        await using var session = _model.StartSession(ScriptedNovaModel.Options(RenewAfter));
        var first = await _model.Stream(1);
        first.StartsAnswering("Welcome to the line.");
        await NextAsync<NovaTranscript>(session, _seen);
        _model.Time.Advance(RenewAfter); // due, but the model is speaking

        // The caller talks over the end of the greeting, then pauses for 1.3 s: all of it in one burst.
        Say(session, Speech(TimeSpan.FromSeconds(1)), Silence(TimeSpan.FromSeconds(1.3)));
        _model.Time.Advance(TimeSpan.FromMilliseconds(100));
        first.FinishesAnswer("Welcome to the line.");

        // The greeting ended after the caller spoke, the caller paused 1.3 s: a quiet moment (on the clock: 100 ms).
        var next = await _model.Stream(2);
        Assert.Equal(NovaRenewalReason.Scheduled, (await NextAsync<NovaStreamRenewed>(session, _seen)).Reason);
        Assert.Empty(next.Audio);
    }

    [Fact]
    public async Task Words_the_model_heard_before_a_pause_that_arrived_in_a_burst_are_not_replayed_to_the_next_stream()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);

        // "Hello?" and a 1.3 s pause, in one burst; the model hears it and starts its answer.
        Say(session, Speech(TimeSpan.FromSeconds(1)), Silence(TimeSpan.FromSeconds(1.3)));
        first.Heard("Hello?");
        first.StartsAnswering("Hello! How can I help?");
        first.Speaks(4_000);
        await NextAsync<NovaAudioOutput>(session, _seen);
        _model.Time.Advance(TimeSpan.FromMilliseconds(200));

        // The stream breaks mid-answer; a little more of the caller's silence arrives.
        first.Fails(new BedrockTransientException("modelStreamErrorException", "System instability detected."));
        var next = await _model.Stream(2);
        var renewed = await NextAsync<NovaStreamRenewed>(session, _seen);

        // The next stream has "Hello?" in its history; hearing it again too, it would answer it twice.
        Assert.Contains(new NovaTurn(NovaRole.User, "Hello?"), next.History);
        Assert.Equal(0, renewed.BufferedSamples);
        Assert.Empty(next.Audio);
    }
}
