using System.Net.WebSockets;
using Bridge.Bedrock;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.MediaWorker.Calls.Fakes;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>How a call ends, from either side, on fake time: the reason, what Twilio is told, what the summary says.</summary>
public sealed class CallEndingTests
{
    /// <summary>Steps for waits where no audio is played: Twilio still sends a caller frame per 20 ms of the clock.</summary>
    private static readonly TimeSpan Coarse = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task The_caller_hanging_up_ends_the_call_and_releases_the_model()
    {
        await using var call = FakeCall.Start();
        using var ended = call.Metric<long>("bridge.calls.ended");
        await call.StepAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(CallEndReason.CallerHungUp, await call.HangUpAsync());

        Assert.True(call.Model.Disposed);
        Assert.Equal("caller-hung-up", call.Summary("Reason"));
        Assert.Equal("caller-hung-up", Assert.Single(ended.GetMeasurementSnapshot()).Tags["reason"]);
        Assert.Equal("00:00:01", call.Summary("Duration"));
    }

    [Fact]
    public async Task A_malformed_frame_closes_the_call_with_its_status_and_reason()
    {
        await using var call = FakeCall.Start();
        call.Twilio.SendsMalformed(WebSocketCloseStatus.InvalidPayloadData, "bad base64 in a media payload");

        Assert.Equal(CallEndReason.MalformedFrame, await call.EndedAsync());
        Assert.Equal((WebSocketCloseStatus.InvalidPayloadData, "bad base64 in a media payload"), call.Twilio.Closed);
        Assert.Contains(call.Log.Collector.GetSnapshot(), r => r.Message == "Closing the call: bad base64 in a media payload (WebSocket InvalidPayloadData)");
    }

    [Fact]
    public async Task The_model_ending_the_conversation_closes_the_line_normally()
    {
        await using var call = FakeCall.Start();
        call.Model.Ends();

        Assert.Equal(CallEndReason.ModelEnded, await call.EndedAsync());
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "the conversation ended"), call.Twilio.Closed);
    }

    [Fact]
    public async Task A_model_failure_closes_with_1011_so_that_twilio_asks_the_api_for_the_apology()
    {
        await using var call = FakeCall.Start();
        using var errors = call.Metric<long>("bridge.errors");
        call.Model.Fails(new BedrockValidationException("Invalid input request."));

        Assert.Equal(CallEndReason.ModelFailed, await call.EndedAsync());
        Assert.Equal((WebSocketCloseStatus.InternalServerError, "the assistant is unavailable"), call.Twilio.Closed);
        Assert.Equal("model", Assert.Single(errors.GetMeasurementSnapshot()).Tags["kind"]);
    }

    [Fact]
    public async Task A_send_that_finds_the_connection_dropped_is_no_model_failure_the_call_ends_as_the_socket_lost()
    {
        await using var call = FakeCall.Start();
        using var errors = call.Metric<long>("bridge.errors");
        await call.StepAsync(TimeSpan.FromMilliseconds(100));
        call.Twilio.ConnectionDrops();
        // Sent at once by the model's pump, which finds the connection dropped before the receive side does.
        call.Model.Speaks(TimeSpan.FromMilliseconds(80), piece: TimeSpan.FromMilliseconds(80));
        await call.SettleAsync();
        Assert.Equal(1, call.Twilio.FailedSends);
        await call.StepAsync(TimeSpan.FromMilliseconds(20));

        Assert.Equal(CallEndReason.SocketLost, await call.EndedAsync());
        Assert.DoesNotContain(errors.GetMeasurementSnapshot(), m => Equals(m.Tags["kind"], "model"));
    }

    [Fact]
    public async Task An_agent_limit_shorter_than_the_workers_ends_the_call_there_after_a_goodbye()
    {
        var hungUp = false;
        await using var call = FakeCall.Start(agentMaxDuration: TimeSpan.FromSeconds(20), hangUp: _ =>
        {
            hungUp = true;
            return Task.CompletedTask;
        });

        await call.StepUntilAsync(() => call.Model.Texts.Count == 1, TimeSpan.FromSeconds(15.1), "the goodbye", Coarse);
        // A quarter of a 20 s call before its end: at 15 s.
        Assert.Equal(TimeSpan.FromSeconds(15), call.Now);
        Assert.Equal(call.Options.GoodbyeAtMaxDuration, call.Model.Texts[0]);
        await call.StepUntilAsync(() => call.Twilio.Closed is not null, TimeSpan.FromSeconds(5.1), "the end", Coarse);

        Assert.Equal(CallEndReason.MaxDuration, await call.EndedAsync());
        Assert.True(hungUp);
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "the call reached its maximum duration (00:00:20)"), call.Twilio.Closed);
    }

    [Fact]
    public async Task At_the_drain_deadline_the_model_is_asked_for_a_goodbye_and_ten_seconds_later_the_line_closes_with_1001()
    {
        await using var call = FakeCall.Start();
        await call.StepAsync(TimeSpan.FromSeconds(1));

        await call.EndCallsRequested.CancelAsync();
        Assert.Equal([call.Options.GoodbyeOnShutdown], call.Model.Texts);
        await call.StepUntilAsync(() => call.Twilio.Closed is not null, TimeSpan.FromSeconds(10.1), "the close", Coarse);

        Assert.Equal((WebSocketCloseStatus.EndpointUnavailable, "the bridge is shutting down"), call.Twilio.Closed);
        Assert.Equal(TimeSpan.FromSeconds(11), call.Now);
        Assert.Equal(CallEndReason.DrainDeadline, await call.EndedAsync());
    }
}
