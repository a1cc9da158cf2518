using Bridge.NovaSonic;
using static Bridge.Tests.NovaSonic.EmulatedNova;

namespace Bridge.Tests.NovaSonic;

/// <summary>
/// Caller frames that arrive late and then in a burst, as Twilio's do on a bad network: 1.3 s of the caller's silence
/// reaches the session in a fraction of that on the clock. The caller's pauses are measured in their audio, so the
/// session sees the pause the caller made, whatever the network did to it. Fake time stands still unless a test moves
/// it. (The burst's other consequence, a replay of words already answered: <see cref="NovaSonicSessionReplayTests"/>.)
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
}
