using System.Net.WebSockets;
using Bridge.Audio;
using Bridge.TwilioStandIn.Media;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        using var limits = worker.LimitsReached();
        using var timeout = new CancellationTokenSource(Timeout);
        await using var stream = await RawMediaStream.OpenAsync(worker.Streams, worker.Streams.NewStart(), timeout.Token);

        await stream.SendConnectedAndStartAsync(timeout.Token);
        var status = await stream.WaitForCloseAsync(timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.StartsWith("no caller audio for 1", stream.CloseDescription, StringComparison.Ordinal);
        Assert.Equal(1, worker.Emulator.Counters.StreamsOpened);
        Assert.Equal(1, limits.Sum("limit", CallEndReason.Inactivity.Tag()));
        await Eventually.HoldsAsync(() => worker.Emulator.Counters.OpenStreams == 0, timeout.Token);
    }

    [Fact]
    public async Task A_call_reaching_its_maximum_duration_is_asked_to_say_goodbye_then_hung_up_through_twilio_as_our_account()
    {
        await using var worker = await InProcessMediaWorker.StartAsync(settings: new Dictionary<string, string?> { ["Calls:MaxDuration"] = "00:00:05" });
        using var limits = worker.LimitsReached();
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

    /// <summary>
    /// 60 s of caller audio sent as fast as the socket takes it. Twilio never runs ahead of the call's clock, so the
    /// worker lets through at most <c>Calls:MaxCallerAudioAhead</c> more than the time since <c>start</c>, then closes
    /// the call; the rest never reaches the model. What the model received is counted in audio time.
    /// </summary>
    [Fact]
    public async Task Sixty_seconds_of_audio_sent_in_under_a_second_does_not_reach_the_model_as_sixty_seconds()
    {
        var allowance = TimeSpan.FromSeconds(2);
        await using var worker = await InProcessMediaWorker.StartAsync(settings: new Dictionary<string, string?> { ["Calls:MaxCallerAudioAhead"] = allowance.ToString("c") });
        using var limits = worker.LimitsReached();
        using var timeout = new CancellationTokenSource(Timeout);
        await using var stream = await RawMediaStream.OpenAsync(worker.Streams, worker.Streams.NewStart(), timeout.Token);

        // The call's real time, on this test's clock: the worker's starts when `start` arrives (after this) and it
        // accepts no audio after deciding to close (before the close arrives here), so this span holds it.
        var clockStarted = TimeProvider.System.GetTimestamp();
        await stream.SendConnectedAndStartAsync(timeout.Token);
        var sent = await stream.FloodAsync(i => stream.MediaFrame(i + 1), most: 3000, timeout.Token);
        var status = await stream.WaitForCloseAsync(timeout.Token);
        var realTime = TimeProvider.System.GetElapsedTime(clockStarted);
        await Eventually.HoldsAsync(() => worker.Emulator.Counters.OpenStreams == 0, timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal(1, limits.Sum("limit", CallEndReason.AudioAhead.Tag()));
        // Closed at the first 20 ms frame beyond the allowance, however fast the frames came.
        Assert.Equal($"caller audio {allowance.TotalSeconds:0.0} s ahead of real time (the limit is {allowance.TotalSeconds:0.#} s)", stream.CloseDescription);
        var model = Assert.Single(worker.Emulator.Prompts.All);
        var heard = model.AudioDuration(model.AudioBytesReceived);
        var chunk = TimeSpan.FromMilliseconds(worker.Services.GetRequiredService<IOptions<AudioOptions>>().Value.ModelInputChunkMilliseconds);
        var facts = $"{sent * TelephoneFrame.Duration.TotalSeconds:0.00} s of audio sent, {heard.TotalSeconds:0.000} s reached the model in {realTime.TotalSeconds:0.000} s";
        Assert.True(heard <= allowance + realTime, $"{facts}: more than the {allowance.TotalSeconds:0.#} s allowed ahead of real time");
        // What was allowed is not lost: all of it but the frame that crossed the limit and a chunk still filling.
        Assert.True(heard >= allowance - TelephoneFrame.Duration - chunk, $"{facts}: less than the {allowance.TotalSeconds:0.#} s allowed");
    }

    /// <summary>
    /// Each key press reaches the model as a text turn (three signed events, billed input). A phone sends a few a second
    /// at most; a stream that sends them as fast as the socket takes them is closed once past the burst a person could
    /// press, and the rest never reaches the model.
    /// </summary>
    [Fact]
    public async Task A_flood_of_key_presses_is_closed_and_does_not_reach_the_model_as_a_flood()
    {
        await using var worker = await InProcessMediaWorker.StartAsync();
        using var limits = worker.LimitsReached();
        using var timeout = new CancellationTokenSource(Timeout);
        await using var stream = await RawMediaStream.OpenAsync(worker.Streams, worker.Streams.NewStart(), timeout.Token);

        await stream.SendConnectedAndStartAsync(timeout.Token);
        await stream.SendTextAsync(stream.MediaFrame(1), timeout.Token);
        await stream.FloodAsync(i => DtmfFrame(stream, i + 2), most: 2000, timeout.Token);
        var status = await stream.WaitForCloseAsync(timeout.Token);
        await Eventually.HoldsAsync(() => worker.Emulator.Counters.OpenStreams == 0, timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.StartsWith("key presses faster than a phone sends them", stream.CloseDescription, StringComparison.Ordinal);
        Assert.Equal(1, limits.Sum("limit", CallEndReason.DtmfFlood.Tag()));
        var model = Assert.Single(worker.Emulator.Prompts.All);
        var presses = model.Texts.Count(t => t.Text.StartsWith("The caller pressed", StringComparison.Ordinal));
        Assert.InRange(presses, 1, CallLimits.DtmfBurst);
    }

    private static string DtmfFrame(RawMediaStream stream, int sequence) =>
        $$$"""{"event":"dtmf","streamSid":"{{{stream.StreamSid}}}","sequenceNumber":"{{{sequence}}}","dtmf":{"track":"inbound_track","digit":"5"}}""";
}
