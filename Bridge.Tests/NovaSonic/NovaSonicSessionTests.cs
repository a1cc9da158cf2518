using Bridge.Emulator;
using Bridge.Bedrock;
using Bridge.NovaSonic;
using Polly.CircuitBreaker;
using static Bridge.Tests.NovaSonic.EmulatedNova;

namespace Bridge.Tests.NovaSonic;

/// <summary>The session against the emulator: a real HTTP/2 server that verifies every signature and the event order.</summary>
public sealed class NovaSonicSessionTests
{
    [Fact]
    public async Task A_session_greets_echoes_the_caller_and_closes_in_order()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        var session = await Factory(emulator).OpenAsync(Setup() with { Greeting = "Greet the caller" }, CancellationToken.None);
        var seen = new List<NovaOutputEvent>();

        await NextAsync<NovaTurnEnd>(session, seen);
        Say(session, Speech(TimeSpan.FromSeconds(0.5)), Silence(TimeSpan.FromSeconds(0.8)));
        var callerWords = await NextAsync<NovaTranscript>(session, seen, t => t.Role == NovaRole.User);
        await NextAsync<NovaTurnEnd>(session, seen);
        await session.CloseAsync().WaitAsync(Wait);
        // The events end (without a fault: the emulator found the close in order) once the rest is read.
        await foreach (var rest in session.Events.ReadAllAsync().WithCancellation(new CancellationTokenSource(Wait).Token))
        {
            seen.Add(rest);
        }

        Assert.Equal("[caller spoke for 0.5 s]", callerWords.Text);
        var kinds = seen.Select(e => e switch
        {
            NovaTranscript { Role: NovaRole.User } => "caller",
            NovaTranscript => "assistant",
            NovaAudioOutput => "audio",
            NovaTurnEnd => "end",
            _ => null,
        }).Where(k => k is not null).Distinct().ToList();
        // Consecutive duplicates collapse: greeting (text, audio, end), then the caller, then the echo.
        Assert.Equal(["assistant", "audio", "end", "caller"], kinds.Take(4));
        Assert.Contains(seen, e => e is NovaUsage);
        Assert.Contains(session.History.Turns, t => t == new NovaTurn(NovaRole.User, "[caller spoke for 0.5 s]"));
        Assert.Equal(0, emulator.Counters.Errors);
    }

    [Fact]
    public async Task Barge_in_is_reported_when_the_caller_talks_over_the_model()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            OutputSpeed = 1,
            SpokenTextDuration = TimeSpan.FromSeconds(5),
        });
        await using var session = await Factory(emulator).OpenAsync(Setup() with { Greeting = "Tell a long story" }, CancellationToken.None);
        var seen = new List<NovaOutputEvent>();

        await NextAsync<NovaAudioOutput>(session, seen);
        Say(session, Speech(TimeSpan.FromMilliseconds(300)));
        await NextAsync<NovaBargeIn>(session, seen);

        Assert.DoesNotContain(seen, e => e is NovaTurnEnd);
        Assert.Single(seen, e => e is NovaBargeIn);
    }

    [Fact]
    public async Task A_tool_call_is_answered_and_the_model_speaks_about_the_result()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        var hangUp = new NovaTool("hang_up", "Ends the call", """{"type":"object","properties":{}}""");
        await using var session = await Factory(emulator).OpenAsync(Setup(hangUp), CancellationToken.None);
        var seen = new List<NovaOutputEvent>();

        session.SendText("The caller pressed 9");
        var toolUse = await NextAsync<NovaToolUse>(session, seen);
        session.SendToolResult(toolUse.ToolUseId, """{"status":"done"}""");
        var reply = await NextAsync<NovaTranscript>(session, seen, t => t.Text.Contains("tool result received", StringComparison.Ordinal));

        Assert.Equal("hang_up", toolUse.ToolName);
        Assert.Contains("""{"status":"done"}""", reply.Text);
        Assert.Equal(0, emulator.Counters.Errors);
    }

    [Fact]
    public async Task Renewal_with_a_short_limit_loses_no_caller_audio_and_keeps_the_transcript()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        var conversation = new NovaSonicOptions { RenewStreamAfter = TimeSpan.FromSeconds(2), RenewalQuietWait = TimeSpan.FromSeconds(5) };
        // A slow first retry keeps the handoff open long enough to speak into it.
        var policy = new NovaOpeningPolicy { FirstRetryDelay = TimeSpan.FromSeconds(1) };
        await using var session = await Factory(emulator, conversation, policy).OpenAsync(Setup(), CancellationToken.None);
        var seen = new List<NovaOutputEvent>();

        Say(session, Speech(TimeSpan.FromSeconds(0.4)), Silence(TimeSpan.FromSeconds(0.8)));
        await NextAsync<NovaTurnEnd>(session, seen);
        emulator.Faults.InjectIntoNextStream("throttle");
        using (var timeout = new CancellationTokenSource(Wait))
        {
            while (!session.IsHandingOff)
            {
                Say(session, Silence(TimeSpan.FromMilliseconds(32)));
                await Task.Delay(30, timeout.Token);
            }
        }
        Say(session, Speech(TimeSpan.FromSeconds(0.7)), Silence(TimeSpan.FromSeconds(0.8)));
        var renewed = await NextAsync<NovaStreamRenewed>(session, seen);
        var heardAfter = await NextAsync<NovaTranscript>(session, seen, t => t.Role == NovaRole.User);

        Assert.Equal(2, renewed.Generation);
        Assert.Equal(NovaRenewalReason.Scheduled, renewed.Reason);
        Assert.True(renewed.BufferedSamples >= InputRate * 1.5, $"only {renewed.BufferedSamples} samples were held");
        Assert.Equal("[caller spoke for 0.7 s]", heardAfter.Text);
        Assert.Equal(
            ["[caller spoke for 0.4 s]", "[caller spoke for 0.7 s]"],
            session.History.Turns.Where(t => t.Role == NovaRole.User).Select(t => t.Text));
        Assert.Equal(1, emulator.Counters.RequestsRefused);
        // The old stream was closed in order, not abandoned: the emulator saw no protocol error or reset.
        await WaitUntilAsync(() => emulator.Counters.OpenStreams == 1);
        Assert.Equal(0, emulator.Counters.ExceptionsSent + emulator.Counters.StreamsReset);
    }

    [Fact]
    public async Task A_stream_that_reaches_the_service_time_limit_is_replaced_with_the_conversation_so_far()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SessionLimit = TimeSpan.FromSeconds(3) });
        await using var session = await Factory(emulator).OpenAsync(Setup(), CancellationToken.None);
        var seen = new List<NovaOutputEvent>();

        Say(session, Speech(TimeSpan.FromSeconds(0.4)), Silence(TimeSpan.FromSeconds(0.8)));
        await NextAsync<NovaTurnEnd>(session, seen);
        var renewed = await NextAsync<NovaStreamRenewed>(session, seen);
        Say(session, Speech(TimeSpan.FromSeconds(0.6)), Silence(TimeSpan.FromSeconds(0.8)));
        var heard = await NextAsync<NovaTranscript>(session, seen, t => t.Role == NovaRole.User);

        Assert.Equal(NovaRenewalReason.Recovered, renewed.Reason);
        Assert.Equal("[caller spoke for 0.6 s]", heard.Text);
        Assert.Equal(2, session.Generation);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task A_retryable_failure_mid_call_continues_on_a_new_stream()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        emulator.Faults.InjectIntoNextStream("exception=modelStreamErrorException@8");
        await using var session = await Factory(emulator).OpenAsync(Setup(), CancellationToken.None);
        var seen = new List<NovaOutputEvent>();

        Say(session, Silence(TimeSpan.FromMilliseconds(200)));
        var renewed = await NextAsync<NovaStreamRenewed>(session, seen);
        Say(session, Speech(TimeSpan.FromSeconds(0.5)), Silence(TimeSpan.FromSeconds(0.8)));
        var heard = await NextAsync<NovaTranscript>(session, seen, t => t.Role == NovaRole.User);

        Assert.Equal(NovaRenewalReason.Recovered, renewed.Reason);
        Assert.Equal("[caller spoke for 0.5 s]", heard.Text);
    }

    [Fact]
    public async Task A_validation_error_ends_the_session_with_that_error()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        emulator.Faults.InjectIntoNextStream("exception=validationException@8");
        await using var session = await Factory(emulator).OpenAsync(Setup(), CancellationToken.None);

        Say(session, Silence(TimeSpan.FromMilliseconds(200)));

        var error = await Assert.ThrowsAsync<BedrockValidationException>(() => session.Events.Completion.WaitAsync(Wait));
        Assert.False(error.IsRetryable);
        Assert.Equal(1, emulator.Counters.StreamsOpened);
    }

    [Fact]
    public async Task While_bedrock_refuses_every_stream_the_circuit_opens_and_new_calls_fail_fast()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Faults = "throttle" });
        var factory = Factory(emulator, policy: new NovaOpeningPolicy
        {
            MaxRetries = 2,
            FirstRetryDelay = TimeSpan.FromMilliseconds(20),
            BreakAfterAtLeast = 3,
            BreakDuration = TimeSpan.FromMinutes(1),
        });

        var first = await Assert.ThrowsAnyAsync<Exception>(() => factory.OpenAsync(Setup(), CancellationToken.None));
        var refusedBefore = emulator.Counters.RequestsRefused;
        await Assert.ThrowsAsync<BrokenCircuitException>(() => factory.OpenAsync(Setup(), CancellationToken.None));

        Assert.True(first is BedrockTransientException or BrokenCircuitException, first.GetType().Name);
        Assert.Equal(refusedBefore, emulator.Counters.RequestsRefused);
    }

    [Fact]
    public async Task The_input_stays_open_while_the_caller_is_silent()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        await using var session = await Factory(emulator).OpenAsync(Setup(), CancellationToken.None);
        var seen = new List<NovaOutputEvent>();

        await Task.Delay(TimeSpan.FromSeconds(3));
        Say(session, Speech(TimeSpan.FromSeconds(0.5)), Silence(TimeSpan.FromSeconds(0.8)));
        var heard = await NextAsync<NovaTranscript>(session, seen, t => t.Role == NovaRole.User);

        Assert.Equal("[caller spoke for 0.5 s]", heard.Text);
        Assert.Equal(1, emulator.Counters.StreamsOpened);
        Assert.Equal(1, emulator.Counters.OpenStreams);
        Assert.Equal(1, session.Generation);
    }

    [Fact]
    public async Task The_first_nova_sonic_stays_selectable()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        await using var session = await Factory(emulator, modelId: "amazon.nova-sonic-v1:0").OpenAsync(Setup(), CancellationToken.None);
        var seen = new List<NovaOutputEvent>();

        Say(session, Speech(TimeSpan.FromSeconds(0.5)), Silence(TimeSpan.FromSeconds(0.8)));
        var heard = await NextAsync<NovaTranscript>(session, seen, t => t.Role == NovaRole.User);

        Assert.Equal("[caller spoke for 0.5 s]", heard.Text);
        Assert.Equal(0, emulator.Counters.Errors);
    }
}
