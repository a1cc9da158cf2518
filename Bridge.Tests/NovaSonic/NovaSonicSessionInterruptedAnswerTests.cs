using Bridge.Bedrock;
using Bridge.NovaSonic;

namespace Bridge.Tests.NovaSonic;

/// <summary>
/// An answer the model was speaking when its stream was replaced: the replaced stream never sends the FINAL transcript,
/// but the caller hears the audio it had produced, so the next stream is told the assistant said it — cut back to what
/// was heard if the caller cuts in, as after any barge-in.
/// </summary>
public sealed class NovaSonicSessionInterruptedAnswerTests
{
    private const string Question = "What time is it?";
    private const string Answer = "It is ten past three in the afternoon.";
    private static readonly BedrockTransientException Broken = new("modelStreamErrorException", "System instability detected.");

    private readonly ScriptedNovaModel _model = new();
    private readonly List<NovaOutputEvent> _seen = [];

    [Fact]
    public async Task An_answer_cut_short_by_a_stream_failure_is_in_the_next_streams_history()
    {
        await using var session = _model.StartSession();
        var first = await AnswerSpokenAsync(session);

        first.Fails(Broken);

        var next = await _model.Stream(2);
        Assert.Equal([new NovaTurn(NovaRole.User, Question), new NovaTurn(NovaRole.Assistant, Answer)], next.History);
    }

    [Fact]
    public async Task When_the_caller_cuts_into_the_replaced_streams_answer_the_history_keeps_what_they_heard()
    {
        await using var session = _model.StartSession();
        var first = await AnswerSpokenAsync(session);
        first.Fails(Broken);
        await _model.Stream(2);
        await EventsUntilAsync<NovaStreamRenewed>(session);

        // The call interrupts the old stream's audio itself (a local barge-in) a third of the way in.
        session.AssistantInterrupted(Answer, "It is ten…");

        Assert.Equal([new NovaTurn(NovaRole.User, Question), new NovaTurn(NovaRole.Assistant, "It is ten…")], session.History.Turns);
    }

    [Fact]
    public async Task An_answer_with_no_audio_yet_is_not_in_the_next_streams_history()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);
        first.Heard(Question);
        first.StartsAnswering(Answer);
        await EventsUntilAsync<NovaTranscript>(session, t => t.Role == NovaRole.Assistant);

        first.Fails(Broken);

        Assert.Equal([new NovaTurn(NovaRole.User, Question)], (await _model.Stream(2)).History);
    }

    [Fact]
    public async Task After_a_barge_in_only_what_was_heard_reaches_the_next_stream()
    {
        await using var session = _model.StartSession();
        var first = await AnswerSpokenAsync(session);
        first.Says(new NovaBargeIn());
        await EventsUntilAsync<NovaBargeIn>(session);
        session.AssistantInterrupted(Answer, "It is…");

        first.Fails(Broken);

        Assert.Equal([new NovaTurn(NovaRole.User, Question), new NovaTurn(NovaRole.Assistant, "It is…")], (await _model.Stream(2)).History);
    }

    [Fact]
    public async Task A_replaced_stream_that_finishes_its_answer_after_a_forced_renewal_is_not_recorded_twice()
    {
        var quietWait = TimeSpan.FromSeconds(60);
        await using var session = _model.StartSession(ScriptedNovaModel.Options(TimeSpan.FromMinutes(6), quietWait));
        var first = await AnswerSpokenAsync(session);
        first.TalksAfterClose();
        _model.Time.Advance(TimeSpan.FromMinutes(6));
        _model.Time.Advance(quietWait);
        var next = await _model.Stream(2);
        await EventsUntilAsync<NovaStreamRenewed>(session);

        // The old stream, closed in order, still finishes the answer it had begun.
        await first.WhenClosed;
        first.FinishesAnswer(Answer);
        first.Ends();
        await EventsUntilAsync<NovaTranscript>(session, t => t.Stage == NovaGenerationStage.Final && t.Role == NovaRole.Assistant);

        Assert.Equal([new NovaTurn(NovaRole.User, Question), new NovaTurn(NovaRole.Assistant, Answer)], next.History);
        Assert.Equal(next.History, session.History.Turns);
    }

    /// <summary>The caller asked; the model planned its answer and produced some of its audio.</summary>
    private async Task<ScriptedNovaStream> AnswerSpokenAsync(NovaSonicSession session)
    {
        var first = await _model.Stream(1);
        first.Heard(Question);
        first.StartsAnswering(Answer);
        first.Speaks(8_000);
        await EventsUntilAsync<NovaAudioOutput>(session);
        return first;
    }

    private Task<T> EventsUntilAsync<T>(NovaSonicSession session, Func<T, bool>? match = null) where T : NovaOutputEvent =>
        EmulatedNova.NextAsync(session, _seen, match);
}
