using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Tracing;
using Bridge.TwilioStandIn.Twilio;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// Whole calls as a user runs them: the call simulator (behaving like Twilio) calls the api, which connects it to
/// the media worker, which converses with the Nova Sonic emulator — all started by the real AppHost.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class CallThroughAppHostTests(AppHostFixture fixture)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SpanTimeout = TimeSpan.FromSeconds(30);

    private async Task<Bridge.TwilioStandIn.Calls.CallSummary> CallAsync(MediaStreamOptions media)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        return await SimulatedCaller.CallAsync(fixture.WebhookUrl, AppHostFixture.AuthToken, media, timeout.Token, fixture.LiveCalls);
    }

    [Fact]
    public async Task A_caller_hears_the_model_answer()
    {
        var summary = await CallAsync(new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(SimulatedCaller.Utterance("hello"), SimulatedCaller.Silence(TimeSpan.FromSeconds(1))),
            HangUpAfterQuiet = TimeSpan.FromSeconds(2),
        });

        Assert.True(summary.Succeeded, string.Join("\n", summary.Steps));
        var stream = summary.Stream!;
        Assert.Equal(StreamEnd.CallerHungUp, stream.End);
        Assert.DoesNotContain(stream.Warnings, w => w.Code != 31922);
        Assert.InRange(stream.HeardAudio, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6));
        Assert.Equal(0, stream.Clears);
        Assert.Equal(stream.MarksReceived, stream.MarksEchoed);
    }

    [Fact]
    public async Task The_dashboard_command_places_a_test_call_that_is_answered()
    {
        using var timeout = new CancellationTokenSource(CallTimeout);

        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync("api", "place-test-call", timeout.Token);

        Assert.True(result.Success, result.Message);
        Assert.Contains("heard", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_commands_call_is_one_trace_from_the_simulator_through_the_api_and_the_worker()
    {
        using var timeout = new CancellationTokenSource(CallTimeout);

        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync("api", "place-test-call", timeout.Token);

        Assert.True(result.Success, result.Message);
        var callSid = result.Message!.Split(' ', ':')[1];
        // The call's own span, exported by the AppHost where the services export theirs: the root of a new trace.
        var call = await fixture.Telemetry.WaitForSpanAsync(
            s => s.Service == CallTracing.ServiceName && s.Attributes.GetValueOrDefault("twilio.call_sid") == callSid, SpanTimeout);
        Assert.Equal(CallTracing.CallSpanName, call.Name);
        Assert.Null(call.ParentSpanId);
        // The webhook and the WebSocket upgrade carried its context: the api's and the worker's spans are in it.
        await fixture.Telemetry.WaitForSpanAsync(s => s.TraceId == call.TraceId && s.Service == "api" && s.Name.StartsWith("POST /webhook", StringComparison.Ordinal), SpanTimeout);
        await fixture.Telemetry.WaitForSpanAsync(s => s.TraceId == call.TraceId && s.Service == "media-worker" && s.Name == CallHost.CallSpanName, SpanTimeout);
    }

    [Fact]
    public async Task An_interruption_clears_playback_and_the_recording_shows_the_cut()
    {
        var hello = SimulatedCaller.Utterance("hello");
        var summary = await CallAsync(new MediaStreamOptions
        {
            // The caller speaks again while the answer to "hello" plays.
            Audio = SimulatedCaller.Saying(hello, SimulatedCaller.Silence(TimeSpan.FromSeconds(1.2)), SimulatedCaller.Utterance("interrupt")),
            HangUpAfterQuiet = TimeSpan.FromSeconds(2),
        });

        var stream = summary.Stream!;
        Assert.True(stream.Clears >= 1, $"no clear was sent: {string.Join("\n", summary.Steps)}");
        var firstAnswer = HeardAudio.SoundRuns(stream.HeardMuLaw)[0];
        var fullAnswer = TimeSpan.FromSeconds(hello.Length / 8000.0 - 1.0);
        Assert.True(firstAnswer.Length < fullAnswer - TimeSpan.FromSeconds(1), $"the first answer played {firstAnswer.Length} of about {fullAnswer}: it was not cut");
    }

    [Fact]
    public async Task Keypad_digits_reach_the_model()
    {
        var silent = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(4)));

        var pressed = CallAsync(new MediaStreamOptions { Audio = silent, Dtmf = [new DtmfPress('5', TimeSpan.FromSeconds(1))], HangUpAfterQuiet = TimeSpan.FromSeconds(2) });
        var quiet = CallAsync(new MediaStreamOptions { Audio = silent, HangUpAfterQuiet = TimeSpan.FromSeconds(2) });

        // The emulator answers interactive text (here "The caller pressed 5 ...") with speech; silence gets none.
        Assert.True((await pressed).Stream!.HeardAudio >= TimeSpan.FromSeconds(0.8));
        Assert.Equal(TimeSpan.Zero, (await quiet).Stream!.HeardAudio);
    }

    [Fact]
    public async Task The_hang_up_tool_ends_the_call_through_Twilio_after_the_goodbye()
    {
        var summary = await CallAsync(new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(3))),
            Dtmf = [new DtmfPress('9', TimeSpan.FromSeconds(0.5))],
            HangUpAfterQuiet = TimeSpan.FromSeconds(12),
            MaxDuration = TimeSpan.FromSeconds(20),
        });

        Assert.Equal("ended through Twilio's REST API (Status=completed)", summary.Outcome);
        Assert.True(summary.StreamStoppedByUpdate, string.Join("\n", summary.Steps));
        Assert.True(summary.Stream!.HeardAudio >= TimeSpan.FromSeconds(0.8), "the goodbye was not heard before the call ended");
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public async Task The_transfer_tool_transfers_a_local_call_to_the_apphosts_transfer_target()
    {
        var summary = await CallAsync(new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(3))),
            Dtmf = [new DtmfPress('0', TimeSpan.FromSeconds(0.5))],
            HangUpAfterQuiet = TimeSpan.FromSeconds(12),
            MaxDuration = TimeSpan.FromSeconds(20),
        });

        // The AppHost's transfer-target parameter, at its local default, reached the worker, whose transfer went
        // through Twilio's REST API (the simulator's) as a <Dial>.
        Assert.StartsWith($"transferred to {TwilioCallsApi.LocalTransferTarget} ", summary.Outcome, StringComparison.Ordinal);
        Assert.Contains($"<Dial> {TwilioCallsApi.LocalTransferTarget}", summary.Steps);
        Assert.True(summary.StreamStoppedByUpdate);
        Assert.True(summary.Succeeded);
        Assert.True(summary.Stream!.HeardAudio >= TimeSpan.FromSeconds(0.8), "the model's words before the transfer were not heard");
    }

    [Fact]
    public async Task A_call_longer_than_the_model_session_limit_goes_on_without_losing_caller_audio()
    {
        // The emulator ends model streams after 12 s; the worker renews them every 3 s, at quiet moments.
        var question = SimulatedCaller.Utterance("question");
        var summary = await CallAsync(new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(
                SimulatedCaller.Utterance("hello"), SimulatedCaller.Silence(TimeSpan.FromSeconds(7)),
                question, SimulatedCaller.Silence(TimeSpan.FromSeconds(7))),
            HangUpAfterQuiet = TimeSpan.FromSeconds(2),
            MaxDuration = TimeSpan.FromSeconds(45),
        });

        var stream = summary.Stream!;
        Assert.Equal(StreamEnd.CallerHungUp, stream.End);
        Assert.True(stream.Duration > TimeSpan.FromSeconds(20), $"the call ended at {stream.Duration}");
        // The question is asked after two renewals; all of it must reach the model and come back.
        var asked = HeardAudio.SoundRuns(question).Aggregate(TimeSpan.Zero, (sum, run) => sum + run.Length);
        var answered = HeardAudio.SoundRuns(stream.HeardMuLaw).Where(run => run.Start > TimeSpan.FromSeconds(11))
            .Aggregate(TimeSpan.Zero, (sum, run) => sum + run.Length);
        Assert.True(answered >= asked * 0.85, $"the answer to the question lasted {answered}, the question {asked}: caller audio was lost");
    }

    [Fact]
    public async Task At_capacity_the_upgrade_is_refused_and_the_caller_hears_the_apology()
    {
        var busy = Enumerable.Range(0, AppHostFixture.MaxConcurrentCalls)
            .Select(_ => CallAsync(new MediaStreamOptions
            {
                Audio = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(6))),
                HangUpAfterQuiet = TimeSpan.Zero,
            }))
            .ToList();
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var refused = await CallAsync(new MediaStreamOptions { Audio = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(1))) });

        Assert.Contains(refused.Steps, step => step.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.Contains(refused.Steps, step => step.StartsWith("<Say> \"Sorry", StringComparison.Ordinal));
        Assert.All(await Task.WhenAll(busy), call => Assert.Equal(StreamEnd.CallerHungUp, call.Stream!.End));
    }
}
