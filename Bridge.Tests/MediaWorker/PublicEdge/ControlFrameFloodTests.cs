using Bridge.MediaWorker.Calls;
using Bridge.MediaWorker.WebSockets;
using Bridge.Tests.Support;

namespace Bridge.Tests.MediaWorker.PublicEdge;

/// <summary>
/// A ping is answered inside the WebSocket's receive, where no call code sees it: a flood of them on one socket cost
/// the worker more CPU than a hundred calls. The connection itself counts control frames and is cut off past its budget.
/// Empty message fragments are the same attack with data frames (24.5 million of them kept both cores busy for the
/// 4 s before the start timeout): they are counted too.
/// </summary>
public sealed class ControlFrameFloodTests
{
    private const int Burst = 20;

    [Fact]
    public async Task A_ping_flood_on_one_socket_is_answered_at_most_its_budget_then_the_connection_is_aborted()
    {
        await using var worker = await InProcessMediaWorker.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Twilio:MediaStream:ControlFramesPerSecond"] = "5",
            ["Twilio:MediaStream:ControlFrameBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var limits = worker.LimitsReached();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = await RawWebSocketConnection.OpenAsync(worker.MediaUrl, worker.Streams.UpgradeSignature, timeout.Token);

        var reading = connection.ReadUntilEndAsync(timeout.Token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sent = 0;
        while (sent < 100_000 && await connection.TrySendAsync(RawWebSocketConnection.Ping, "are you there"u8.ToArray(), timeout.Token))
        {
            sent++;
        }
        var received = await reading;
        clock.Stop();

        Assert.True(sent < 100_000, "the worker took 100,000 pings without cutting the connection");
        // The budget, refilled at 5 a second while the flood lasted, and nothing more was answered.
        var pongs = received.GetValueOrDefault(RawWebSocketConnection.Pong);
        Assert.InRange(pongs, 0, Burst + (int)Math.Ceiling(clock.Elapsed.TotalSeconds * 5));
        Assert.Equal(1, limits.Sum("limit", ControlFrameLimitMiddleware.Limit));
        Assert.Contains(worker.Logs.GetSnapshot(), e => e.Message.StartsWith("Refusing a WebSocket (control-frames): 1 refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_flood_of_empty_fragments_on_one_socket_is_cut_off_at_its_budget_before_any_start()
    {
        await using var worker = await InProcessMediaWorker.StartAsync(settings: new Dictionary<string, string?>
        {
            // Long enough that only the frame budget can end the socket.
            ["Twilio:MediaStream:StartTimeout"] = "00:01:00",
            ["Twilio:MediaStream:FragmentBurst"] = "1000",
        });
        using var limits = worker.LimitsReached();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = await RawWebSocketConnection.OpenAsync(worker.MediaUrl, worker.Streams.UpgradeSignature, timeout.Token);
        var reading = connection.ReadUntilEndAsync(timeout.Token);

        // A text frame that is not final and empty, then empty continuation frames (masked with a zero key), 10,000 a write.
        var fragments = new byte[6 * 10_000];
        for (var i = 0; i < fragments.Length; i += 6)
        {
            fragments[i + 1] = 0x80;
        }
        var sent = 0;
        var open = await connection.TrySendRawAsync(new byte[] { 0x01, 0x80, 0, 0, 0, 0 }, timeout.Token);
        while (open && sent < 10_000_000 && (open = await connection.TrySendRawAsync(fragments, timeout.Token)))
        {
            sent += 10_000;
        }
        await reading;

        Assert.True(sent < 10_000_000, "the worker took 10 million empty fragments without cutting the connection");
        Assert.Equal(1, limits.Sum("limit", "fragments"));
        Assert.Equal(0, limits.Sum("limit", ControlFrameLimitMiddleware.Limit));
        Assert.Contains(worker.Logs.GetSnapshot(), e => e.Message.StartsWith("Refusing a WebSocket (fragments): 1 refused", StringComparison.Ordinal));
    }
}
