using System.Net.WebSockets;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Bridge.TwilioStandIn.Media;

namespace Bridge.Tests.MediaWorker.PublicEdge;

/// <summary>
/// Every message a stream sends after <c>start</c> is parsed, and some cost nothing else: a mark that is not one of the
/// worker's is skipped, a media frame with no audio passes the audio-ahead bound. A stream may send messages as fast
/// as Twilio does, with room to spare (<see cref="CallLimits.MessagesPerSecond"/>); past that it is closed 1008, while
/// a call with Twilio's own playback and mark echoes is never near it.
/// </summary>
public sealed class MessageFloodTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    /// <summary>Far more than the burst, sent as fast as the socket takes them (tens of thousands a second here).</summary>
    private const int FloodMessages = 50_000;

    [Theory]
    [InlineData("mark")]
    [InlineData("empty-media")]
    public async Task A_flood_of_messages_that_cost_the_call_nothing_else_is_closed_1008(string kind)
    {
        await using var worker = await InProcessMediaWorker.StartAsync();
        using var limits = worker.LimitsReached();
        using var timeout = new CancellationTokenSource(Timeout);
        await using var stream = await RawMediaStream.OpenAsync(worker.Streams, worker.Streams.NewStart(), timeout.Token);

        await stream.SendConnectedAndStartAsync(timeout.Token);
        await stream.SendTextAsync(stream.MediaFrame(1), timeout.Token);
        var sent = await stream.FloodAsync(
            i => kind == "mark" ? ForeignMark(stream, i + 2) : stream.MediaFrame(i + 2, payload: ""), FloodMessages, timeout.Token);
        var status = await stream.WaitForCloseAsync(timeout.Token);
        await Eventually.HoldsAsync(() => worker.Emulator.Counters.OpenStreams == 0, timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.StartsWith("messages faster than Twilio sends them", stream.CloseDescription, StringComparison.Ordinal);
        Assert.Equal(1, limits.Sum("limit", CallEndReason.MessageFlood.Tag()));
        Assert.True(sent >= CallLimits.MessageBurst, $"closed after {sent} messages, inside the burst");
        Assert.Single(worker.Logs.GetSnapshot(), e => e.Message.StartsWith("Ending the call at a limit (message-flood)", StringComparison.Ordinal));
    }

    /// <summary>
    /// The loopback model speaks all the time, so the worker sends audio and a mark after each message, and the stand-in
    /// echoes every mark as its playback reaches it: Twilio's busiest, short of key presses. The call runs to its end,
    /// and the messages it sent are a third of the budget at most.
    /// </summary>
    [Fact]
    public async Task A_call_with_twilios_playback_and_mark_echoes_is_never_near_the_budget()
    {
        await using var worker = await InProcessMediaWorker.StartAsync();
        using var limits = worker.LimitsReached();
        using var timeout = new CancellationTokenSource(Timeout);

        var call = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(6), CancellationToken.None, timeout.Token);
        var result = await call.Result.WaitAsync(timeout.Token);

        Assert.Contains(result.End, new[] { StreamEnd.CallerHungUp, StreamEnd.MaxDuration });
        Assert.Equal(0, limits.Sum("limit", CallEndReason.MessageFlood.Tag()));
        Assert.True(result.MarksEchoed > 50, $"only {result.MarksEchoed} marks echoed: the model's audio did not play");
        var perSecond = (result.FramesSent + result.MarksEchoed) / result.Duration.TotalSeconds;
        Assert.True(perSecond * 3 <= CallLimits.MessagesPerSecond, $"{perSecond:0} messages a second, over a third of the budget");
    }

    /// <summary>A mark echo of a name the worker never sent: read, then skipped.</summary>
    private static string ForeignMark(RawMediaStream stream, int sequence) =>
        $$$"""{"event":"mark","streamSid":"{{{stream.StreamSid}}}","sequenceNumber":"{{{sequence}}}","mark":{"name":"x"}}""";
}
