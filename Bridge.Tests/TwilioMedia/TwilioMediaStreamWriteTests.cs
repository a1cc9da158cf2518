using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Bridge.Buffers;
using Bridge.Tests.Support;
using Bridge.TwilioMedia;

namespace Bridge.Tests.TwilioMedia;

/// <summary>What a piece of model audio costs on the wire: how many writes to the connection, and which bytes.</summary>
public sealed class TwilioMediaStreamWriteTests
{
    private const string StreamSid = "MZ00000000000000000000000000000001";

    [Fact]
    public async Task Audio_and_its_mark_leave_in_one_write_on_a_coalescing_connection_with_the_same_frames()
    {
        var coalesced = await SendAudioAsync(coalescing: true);
        var plain = await SendAudioAsync(coalescing: false);

        Assert.Single(coalesced.Writes);
        Assert.Equal(2, plain.Writes.Count);
        Assert.Equal(plain.Writes.SelectMany(write => write), coalesced.Writes.Single());
        Assert.Equal(["media", "mark"], coalesced.Received.Select(EventName));
        Assert.Equal(plain.Received, coalesced.Received);
    }

    [Fact]
    public async Task The_connection_is_released_after_the_audio_so_a_close_goes_straight_out()
    {
        var sent = await SendAudioAsync(coalescing: true, thenClose: true);

        Assert.Equal(2, sent.Writes.Count);
        Assert.Equal(0x88, sent.Writes[1][0]);
    }

    private static string EventName(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("event").GetString()!;

    private static async Task<(List<byte[]> Writes, List<string> Received)> SendAudioAsync(bool coalescing, bool thenClose = false)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        using var client = WebSocket.CreateFromStream(new PipeDuplexStream(toClient.Reader, toServer.Writer), new WebSocketCreationOptions { IsServer = false });
        var wire = new PipeDuplexStream(toServer.Reader, toClient.Writer, recordWrites: true);
        var connection = coalescing ? new CoalescingStream(wire) : null;
        var server = WebSocket.CreateFromStream((Stream?)connection ?? wire, new WebSocketCreationOptions { IsServer = true });
        await using var stream = new TwilioMediaStream(server, new TwilioStreamOptions(), TimeProvider.System, connection);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await client.SendAsync(Encoding.UTF8.GetBytes(StartFrame), WebSocketMessageType.Text, true, timeout.Token);
        Assert.NotNull(await stream.ReadStartAsync(timeout.Token, timeout.Token));
        wire.Writes.Clear();

        await stream.SendAudioAsync(Enumerable.Range(0, 320).Select(i => (byte)i).ToArray(), timeout.Token);
        if (thenClose)
        {
            await stream.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
        var writes = wire.Writes.ToList();

        var received = new List<string>();
        var buffer = new byte[4096];
        for (var i = 0; i < 2; i++)
        {
            var result = await client.ReceiveAsync(buffer, timeout.Token);
            Assert.True(result.EndOfMessage);
            received.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        return (writes, received);
    }

    private const string StartFrame =
        "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC00000000000000000000000000000001\"," +
        $"\"streamSid\":\"{StreamSid}\",\"callSid\":\"CA00000000000000000000000000000001\",\"tracks\":[\"inbound\"]," +
        "\"customParameters\":{},\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}," +
        $"\"streamSid\":\"{StreamSid}\"}}";
}
