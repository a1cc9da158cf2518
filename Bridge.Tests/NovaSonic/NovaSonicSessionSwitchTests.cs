using Bridge.Bedrock;
using Bridge.NovaSonic;
using static Bridge.Tests.NovaSonic.EmulatedNova;

namespace Bridge.Tests.NovaSonic;

/// <summary>
/// The session's stream switches on fake time, over scripted model streams: when a renewal goes, what the next stream
/// is given (history, the caller's audio held meanwhile, text and tool results), and how a failure ends it all. No
/// network, no sleeping: each test runs in milliseconds.
/// </summary>
public sealed class NovaSonicSessionSwitchTests
{
    private static readonly TimeSpan RenewAfter = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan QuietWait = TimeSpan.FromSeconds(60);

    private readonly ScriptedNovaModel _model = new();
    private readonly List<NovaOutputEvent> _seen = [];

    [Fact]
    public async Task A_due_renewal_waits_until_the_caller_is_answered_and_has_heard_everything()
    {
        await using var session = _model.StartSession(ScriptedNovaModel.Options(RenewAfter, QuietWait));
        var first = await _model.Stream(1);
        Say(session, Speech(TimeSpan.FromSeconds(0.5)), Silence(TimeSpan.FromSeconds(1)));

        _model.Time.Advance(RenewAfter);
        Assert.Equal(1, _model.StreamsOpened); // the caller's words await an answer

        first.Heard("hello");
        first.StartsAnswering("Hi there.");
        first.Speaks(8_000);
        session.ReportOutputPlaying(true);
        first.FinishesAnswer("Hi there.");
        await NextAsync<NovaTranscript>(session, _seen, t => t is { Role: NovaRole.Assistant, Stage: NovaGenerationStage.Final });
        Assert.Equal(1, _model.StreamsOpened); // answered, but the listener still hears it

        session.ReportOutputPlaying(false);

        var next = await _model.Stream(2);
        Assert.Equal([new NovaTurn(NovaRole.User, "hello"), new NovaTurn(NovaRole.Assistant, "Hi there.")], next.History);
        var renewed = await NextAsync<NovaStreamRenewed>(session, _seen);
        Assert.Equal(NovaRenewalReason.Scheduled, renewed.Reason);
        Assert.Equal(0, renewed.BufferedSamples);
        await first.WhenClosed; // in order, not abandoned
    }

    [Fact]
    public async Task A_due_renewal_that_finds_no_quiet_moment_goes_after_the_quiet_wait()
    {
        await using var session = _model.StartSession(ScriptedNovaModel.Options(RenewAfter, QuietWait));
        var first = await _model.Stream(1);
        first.StartsAnswering("A very long story.");
        await NextAsync<NovaTranscript>(session, _seen);

        _model.Time.Advance(RenewAfter);
        _model.Time.Advance(QuietWait - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _model.StreamsOpened);

        _model.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, (await _model.Stream(2)).Generation);
        Assert.Equal(NovaRenewalReason.Scheduled, (await NextAsync<NovaStreamRenewed>(session, _seen)).Reason);
    }

    [Fact]
    public async Task A_failed_stream_is_replaced_at_once_with_the_conversation_and_the_audio_said_meanwhile()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);
        first.Heard("hello");
        first.StartsAnswering("Hi.");
        first.FinishesAnswer("Hi.");
        await NextAsync<NovaTranscript>(session, _seen, t => t is { Role: NovaRole.Assistant, Stage: NovaGenerationStage.Final });

        _model.HoldOpens();
        first.Fails(new BedrockTransientException("modelStreamErrorException", "System instability detected."));
        await _model.OpenRequested(2);
        Assert.True(session.IsHandingOff);
        var meanwhile = Speech(TimeSpan.FromSeconds(0.3));
        Say(session, meanwhile);
        _model.ReleaseOpens();

        var next = await _model.Stream(2);
        var renewed = await NextAsync<NovaStreamRenewed>(session, _seen);
        Assert.Equal(NovaRenewalReason.Recovered, renewed.Reason);
        Assert.Equal(meanwhile.Length, renewed.BufferedSamples);
        Assert.Equal(meanwhile, next.Audio);
        Assert.Equal([new NovaTurn(NovaRole.User, "hello"), new NovaTurn(NovaRole.Assistant, "Hi.")], next.History);
        Assert.Equal(2, session.Generation);
        await first.WhenDisposed;
        Assert.False(first.Closed);
    }

    [Fact]
    public async Task Text_and_tool_results_sent_during_a_switch_reach_the_next_stream_after_the_held_audio()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);
        first.AsksForTool("hang_up", "tool-1");
        await NextAsync<NovaToolUse>(session, _seen);

        _model.HoldOpens();
        first.Fails(new BedrockTransientException("internalServerException", "RST_STREAM closed stream"));
        await _model.OpenRequested(2);
        session.SendText("The caller pressed 5 on the phone's keypad.");
        session.SendToolResult("tool-1", """{"status":"done"}""");
        Assert.Empty(first.ToolResults);
        _model.ReleaseOpens();

        var next = await _model.Stream(2);
        await NextAsync<NovaStreamRenewed>(session, _seen);
        // The new stream never heard the question: the result reaches it as text.
        Assert.Equal(
            ["The caller pressed 5 on the phone's keypad.", """(The result of the tool you called before the line was interrupted: {"status":"done"})"""],
            next.Texts);
        Assert.Empty(next.ToolResults);
    }

    [Fact]
    public async Task A_tool_result_after_the_switch_reaches_the_new_stream_as_text_never_under_an_id_it_did_not_issue()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);
        first.AsksForTool("lookup_order", "tool-1");
        await NextAsync<NovaToolUse>(session, _seen);

        first.Fails(new BedrockTransientException("modelStreamErrorException", "System instability detected."));
        var next = await _model.Stream(2);
        await NextAsync<NovaStreamRenewed>(session, _seen);
        next.AsksForTool("lookup_order", "tool-2");
        await NextAsync<NovaToolUse>(session, _seen);
        // The tool the first stream asked for finishes only now, on the new stream's watch; then the new stream's own.
        session.SendToolResult("tool-1", """{"status":"shipped"}""");
        session.SendToolResult("tool-2", """{"status":"delivered"}""");

        Assert.Equal(["""(The result of the tool you called before the line was interrupted: {"status":"shipped"})"""], next.Texts);
        Assert.Equal(["""tool-2: {"status":"delivered"}"""], next.ToolResults);
        Assert.Empty(first.ToolResults);
    }

    [Fact]
    public async Task A_failure_that_a_new_stream_cannot_help_ends_the_conversation_with_that_error()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);

        first.Fails(new BedrockValidationException("Invalid input request."));

        var error = await Assert.ThrowsAsync<BedrockValidationException>(() => session.Events.Completion.WaitAsync(ScriptedNovaModel.Wait));
        Assert.Equal("Invalid input request.", error.ServiceMessage);
        Assert.Equal(1, _model.StreamsOpened);
        await first.WhenDisposed;
    }

    [Fact]
    public async Task When_no_new_stream_can_be_opened_the_conversation_ends_with_that_error()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);
        _model.FailOpens = new BedrockTransientException("throttlingException", "Too many requests.");

        first.Ends();

        var error = await Assert.ThrowsAsync<BedrockTransientException>(() => session.Events.Completion.WaitAsync(ScriptedNovaModel.Wait));
        Assert.Equal("throttlingException", error.ErrorType);
    }
}
