using System.Diagnostics;
using System.Text.RegularExpressions;
using Bridge.CallSimulator.Audio;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Tracing;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>
/// Whole calls against a fake api and worker on a real socket: what Twilio requests, how it signs, what it streams,
/// and how it follows the TwiML. Speed 25 keeps each call well under a second.
/// </summary>
public sealed partial class CallSimulationTests : IAsyncLifetime
{
    private FakeBridge _bridge = null!;

    public async Task InitializeAsync() => _bridge = await FakeBridge.StartAsync();

    public async Task DisposeAsync() => await _bridge.DisposeAsync();

    [Fact]
    public async Task The_voice_webhook_carries_twilios_fields_and_a_valid_signature()
    {
        var summary = await CallAsync();

        Assert.Empty(_bridge.BadSignatures);
        var form = Assert.Single(_bridge.FormsTo("/webhook"));
        Assert.Matches(CallSidPattern(), form["CallSid"]);
        Assert.Equal(summary.CallSid, form["CallSid"]);
        Assert.Equal("ringing", form["CallStatus"]);
        Assert.Equal("inbound", form["Direction"]);
        Assert.Equal("2010-04-01", form["ApiVersion"]);
        Assert.Equal(CallSimulationOptions.DefaultAccountSid, form["AccountSid"]);
        Assert.Equal("+14155550100", form["From"]);
        Assert.Equal(form["From"], form["Caller"]);
        Assert.Equal("+15005550006", form["To"]);
        Assert.Equal(form["To"], form["Called"]);
    }

    [Fact]
    public async Task The_call_goes_as_a_sampled_trace_even_when_another_tracer_in_the_process_samples_its_span_out()
    {
        // What a host with trace sampling at 0 does to the simulator's source when both run in one process.
        using var samplingOut = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CallTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(samplingOut);

        await CallAsync();

        // The webhook, the stream's upgrade and its status callbacks: the bridge would record nothing under a "-00".
        Assert.NotEmpty(_bridge.Traceparents);
        Assert.All(_bridge.Traceparents, traceparent => Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", traceparent));
    }

    [Fact]
    public async Task The_stream_opens_with_a_signed_upgrade_and_carries_the_twiml_parameters_and_the_audio()
    {
        var audio = WavFile.Read(Utterance("question.wav")).Data;

        var summary = await CallAsync(audio);

        Assert.Empty(_bridge.BadSignatures);
        var server = Assert.Single(_bridge.Streams);
        var start = server.Events("start").Single().GetProperty("start");
        Assert.Equal(summary.StreamSid, start.GetProperty("streamSid").GetString());
        Assert.Matches("^MZ[0-9a-f]{32}$", summary.StreamSid);
        Assert.Equal(summary.CallSid, start.GetProperty("callSid").GetString());
        Assert.Equal("v1.999.signed", start.GetProperty("customParameters").GetProperty("token").GetString());

        var sent = server.Events("media").SelectMany(m => m.GetProperty("media").GetProperty("payload").GetBytesFromBase64()).ToArray();
        Assert.Equal(audio, sent[..audio.Length]);
        Assert.All(sent[audio.Length..], b => Assert.Equal(PlaybackClock.Silence, b));
        Assert.Equal("stop", server.Received[^1].GetProperty("event").GetString());
        Assert.Equal(summary.Stream!.FramesSent, server.Events("media").Count);
    }

    [Fact]
    public async Task Stream_status_callbacks_report_started_then_stopped_and_a_hang_up_requests_no_action()
    {
        var summary = await CallAsync();

        var statuses = _bridge.FormsTo("/webhook/stream-status");
        Assert.Equal(["stream-started", "stream-stopped"], statuses.Select(s => s["StreamEvent"]));
        Assert.All(statuses, s =>
        {
            Assert.Equal(summary.StreamSid, s["StreamSid"]);
            Assert.Equal(summary.CallSid, s["CallSid"]);
            Assert.Equal(CallSimulationOptions.DefaultAccountSid, s["AccountSid"]);
            Assert.True(DateTimeOffset.TryParse(s["Timestamp"], out _));
        });
        Assert.Empty(_bridge.FormsTo("/webhook/connect-ended"));
        Assert.Equal("the caller hung up", summary.Outcome);
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public async Task A_ws_stream_url_is_warned_as_31922_but_the_call_goes_on()
    {
        var summary = await CallAsync();

        Assert.Contains(summary.Warnings, w => w.Code == TwilioErrorCodes.StreamUrlNotSecure);
        Assert.NotNull(summary.Stream);
    }

    [Fact]
    public async Task When_the_server_closes_the_socket_twilio_requests_the_connect_action_and_follows_its_twiml()
    {
        _bridge.OnStream = async server =>
        {
            await server.WaitUntilAsync(s => s.StreamSid is not null, "start");
            await server.CloseAsync("done");
        };

        var summary = await CallAsync(audio: new byte[10 * 8000]); // long enough that the caller cannot hang up first

        var action = Assert.Single(_bridge.FormsTo("/webhook/connect-ended"));
        Assert.Equal("in-progress", action["CallStatus"]);
        Assert.Equal(summary.CallSid, action["CallSid"]);
        Assert.Empty(_bridge.BadSignatures);
        Assert.Equal(StreamEnd.ServerClosed, summary.Stream!.End);
        Assert.Contains(summary.Warnings, w => w.Code == TwilioErrorCodes.StreamClosedByServer);
        Assert.Contains("<Say> \"Goodbye\"", summary.Steps);
        Assert.DoesNotContain(summary.Steps, s => s.Contains("Not reached", StringComparison.Ordinal));
        Assert.Equal("TwiML <Hangup>", summary.Outcome);
    }

    [Fact]
    public async Task A_refused_upgrade_is_31920_reported_to_the_status_callback_and_the_action_is_requested()
    {
        _bridge.RefuseUpgrade = true;

        var summary = await CallAsync();

        Assert.Equal(TwilioErrorCodes.StreamHandshakeFailed, summary.Error?.Code);
        var status = Assert.Single(_bridge.FormsTo("/webhook/stream-status"));
        Assert.Equal("stream-error", status["StreamEvent"]);
        Assert.Contains("403", status["StreamError"], StringComparison.Ordinal);
        Assert.Single(_bridge.FormsTo("/webhook/connect-ended"));
        Assert.False(summary.Succeeded);
    }

    [Theory]
    [InlineData("https://127.0.0.1/media", TwilioErrorCodes.StreamUrlNotSecure)]
    [InlineData("wss://", TwilioErrorCodes.StreamUrlMalformed)]
    public async Task A_stream_url_twilio_cannot_dial_fails_the_stream_with_its_error_and_the_action_follows(string url, int code)
    {
        _bridge.AnswerCall = b => b.ConnectStreamTwiml(url);

        var summary = await CallAsync();

        Assert.Equal(code, summary.Error?.Code);
        Assert.Empty(_bridge.Streams);
        Assert.Equal("stream-error", Assert.Single(_bridge.FormsTo("/webhook/stream-status"))["StreamEvent"]);
        Assert.Single(_bridge.FormsTo("/webhook/connect-ended"));
    }

    [Fact]
    public async Task A_webhook_that_answers_an_error_is_11200()
    {
        _bridge.WebhookStatus = 500;

        var summary = await CallAsync();

        Assert.Equal(TwilioErrorCodes.HttpRetrievalFailure, summary.Error?.Code);
        Assert.Null(summary.Stream);
        Assert.Empty(_bridge.Streams);
    }

    [Fact]
    public async Task A_signature_made_with_another_token_is_refused_by_the_bridge()
    {
        var summary = await CallAsync(authToken: "another-token-entirely-0123456789");

        Assert.NotEmpty(_bridge.BadSignatures);
        Assert.Equal(TwilioErrorCodes.HttpRetrievalFailure, summary.Error?.Code);
    }

    [Fact]
    public async Task A_redirect_is_followed_and_a_document_without_a_stream_is_executed_verb_by_verb()
    {
        _bridge.AnswerCall = b => "<Response><Pause length=\"1\"/><Redirect>/webhook/connect-ended</Redirect></Response>";

        var summary = await CallAsync();

        Assert.Single(_bridge.FormsTo("/webhook/connect-ended"));
        Assert.Equal("TwiML <Hangup>", summary.Outcome);
        Assert.Contains("<Pause> 1 s", summary.Steps);
    }

    [Fact]
    public async Task In_loopback_only_mode_a_remote_stream_url_is_refused_before_dialing()
    {
        _bridge.AnswerCall = b => b.ConnectStreamTwiml("wss://voice.example.com/media");

        var summary = await CallAsync(loopbackOnly: true);

        Assert.Contains("not on this machine", summary.Error?.Problem, StringComparison.Ordinal);
        Assert.Empty(_bridge.Streams);
    }

    private async Task<CallSummary> CallAsync(byte[]? audio = null, string authToken = FakeBridge.AuthToken, bool loopbackOnly = false)
    {
        using var http = new HttpClient();
        var simulation = new CallSimulation(http, TimeProvider.System, NullLogger<CallSimulation>.Instance);
        return await simulation.RunAsync(new CallSimulationOptions
        {
            WebhookUrl = _bridge.WebhookUrl,
            AuthToken = authToken,
            LoopbackOnly = loopbackOnly,
            Media = new MediaStreamOptions
            {
                Audio = CallerAudio.FromMuLaw(audio ?? new byte[1600]),
                Speed = 25,
                HangUpAfterQuiet = TimeSpan.FromMilliseconds(200),
                MaxDuration = TimeSpan.FromSeconds(30),
            },
        }).WaitAsync(TimeSpan.FromSeconds(30));
    }

    internal static string Utterance(string name) => Path.Combine(AppContext.BaseDirectory, "utterances", name);

    [GeneratedRegex("^CA[0-9a-f]{32}$")]
    private static partial Regex CallSidPattern();
}
