using System.Net.WebSockets;
using Bridge.Tests.Support;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// The worker owns the socket, so it completes the closing handshake: when Twilio ends the call (<c>stop</c>, then its
/// close) or just closes, the worker answers with its own close frame. Before, it released the socket without one,
/// and Twilio's side recorded an abnormal closure (1006).
/// </summary>
public sealed class ClosingHandshakeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_the_caller_hangs_up_the_worker_answers_its_close_with_a_normal_close(bool stopFirst)
    {
        await using var worker = await InProcessMediaWorker.StartAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await using var stream = await RawMediaStream.OpenAsync(worker.Streams, worker.Streams.NewStart(), timeout.Token);
        await stream.SendConnectedAndStartAsync(timeout.Token);
        for (var i = 1; i <= 10; i++)
        {
            await stream.SendTextAsync(stream.MediaFrame(i), timeout.Token);
        }

        if (stopFirst)
        {
            await stream.SendTextAsync(stream.StopFrame(11), timeout.Token);
        }
        await stream.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, timeout.Token);
        var answer = await stream.WaitForCloseAsync(timeout.Token);

        // Null: the connection was dropped without a close frame (what the caller's side records as 1006).
        Assert.Equal(WebSocketCloseStatus.NormalClosure, answer);
        Assert.Equal(WebSocketState.Closed, stream.State);
    }
}
