using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Bridge.TwilioStandIn.Media;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.MediaWorker.PublicEdge;

/// <summary>
/// What one call with a valid token can cost is bounded: a socket that sends no audio is closed, a call ends politely
/// at <c>Calls:MaxDuration</c>, and audio faster than real time never reaches the model.
/// </summary>
public sealed class CallCostLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_call_that_sends_no_audio_is_closed_at_the_inactivity_limit_and_its_model_stream_with_it()
    {
        await using var worker = await InProcessMediaWorker.StartAsync(settings: new Dictionary<string, string?> { ["Calls:InactivityTimeout"] = "00:00:01" });
        using var limits = Limits(worker);
        using var timeout = new CancellationTokenSource(Timeout);
        await using var stream = await RawMediaStream.OpenAsync(worker.Streams, worker.Streams.NewStart(), timeout.Token);

        await stream.SendConnectedAndStartAsync(timeout.Token);
        var status = await stream.WaitForCloseAsync(timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.StartsWith("no caller audio for 1", stream.CloseDescription, StringComparison.Ordinal);
        Assert.Equal(1, worker.Emulator.Counters.StreamsOpened);
        Assert.Equal(1, limits.Sum("limit", CallEndReason.Inactivity.Tag()));
        await EventuallyAsync(() => worker.Emulator.Counters.OpenStreams == 0, timeout.Token);
    }

    [Fact]
    public async Task A_call_reaching_its_maximum_duration_is_asked_to_say_goodbye_then_hung_up_through_twilio_as_our_account()
    {
        await using var worker = await InProcessMediaWorker.StartAsync(settings: new Dictionary<string, string?> { ["Calls:MaxDuration"] = "00:00:05" });
        using var limits = Limits(worker);
        using var timeout = new CancellationTokenSource(Timeout);

        var call = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(30), CancellationToken.None, timeout.Token);
        var result = await call.Result.WaitAsync(timeout.Token);

        Assert.Equal(StreamEnd.ServerClosed, result.End);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, result.CloseStatus);
        Assert.Equal("the call reached its maximum duration (00:00:05)", result.CloseDescription);
        Assert.Equal(1, limits.Sum("limit", CallEndReason.MaxDuration.Tag()));
        // The model was asked for a goodbye shortly before (a quarter of so short a call), then Twilio ended the call.
        Assert.Contains(worker.Logs.GetSnapshot(), e => e.Message == "The call nears its maximum duration (00:00:05): asking the model to say goodbye");
        var hangUp = Assert.Single(worker.Twilio.Updates);
        Assert.Equal((DirectStream.AccountSid, call.Start.CallSid, DirectStream.AccountSid, "completed"),
            (hangUp.AccountSid, hangUp.CallSid, hangUp.AuthenticatedAs, hangUp.Form["Status"]));
        // Five seconds of a thirty-second call were heard.
        Assert.InRange(call.Frames.Sent, 200, 400);
    }

    /// <summary>60 s of caller audio sent as fast as the socket takes it: Twilio never runs ahead of the call's clock.</summary>
    [Fact]
    public async Task Sixty_seconds_of_audio_sent_in_under_a_second_does_not_reach_the_model_as_sixty_seconds()
    {
        await using var worker = await InProcessMediaWorker.StartAsync(settings: new Dictionary<string, string?> { ["Calls:MaxCallerAudioAhead"] = "00:00:02" });
        using var limits = Limits(worker);
        using var timeout = new CancellationTokenSource(Timeout);
        await using var stream = await RawMediaStream.OpenAsync(worker.Streams, worker.Streams.NewStart(), timeout.Token);
        await stream.SendConnectedAndStartAsync(timeout.Token);
        var framesBefore = worker.Emulator.Counters.FramesReceived;

        var sending = System.Diagnostics.Stopwatch.StartNew();
        var sent = 0;
        for (; sent < 3000; sent++)
        {
            if (stream.State != WebSocketState.Open)
            {
                break;
            }
            try
            {
                await stream.SendTextAsync(stream.MediaFrame(sent + 1), timeout.Token);
            }
            catch (WebSocketException)
            {
                break;
            }
        }
        var status = await stream.WaitForCloseAsync(timeout.Token);
        sending.Stop();
        await EventuallyAsync(() => worker.Emulator.Counters.OpenStreams == 0, timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("ahead of real time", stream.CloseDescription, StringComparison.Ordinal);
        Assert.Equal(1, limits.Sum("limit", CallEndReason.AudioAhead.Tag()));
        // Model input is 80 ms a chunk (counted as 40 ms here, a wider bound): what reached the model is at most the 2 s
        // allowed ahead plus the time that passed.
        var chunks = worker.Emulator.Counters.FramesReceived - framesBefore;
        var allowed = (2 + sending.Elapsed.TotalSeconds) / 0.040 + 10;
        Assert.True(chunks < allowed, $"{chunks} input frames reached the model in {sending.Elapsed.TotalSeconds:0.00} s (at most {allowed:0} allowed)");
        Assert.True(chunks < 60 / 0.040 / 4, $"{chunks} input frames: most of the 60 s reached the model");
    }

    private static MetricCollector<long> Limits(InProcessMediaWorker worker) =>
        new(worker.Services.GetRequiredService<IMeterFactory>(), CallTelemetry.MeterName, "bridge.limits.reached");

    private static async Task EventuallyAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
