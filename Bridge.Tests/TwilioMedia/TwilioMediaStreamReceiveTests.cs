using System.Net.WebSockets;
using System.Text;
using Bridge.Tests.Support;
using Bridge.TwilioMedia;

namespace Bridge.Tests.TwilioMedia;

/// <summary>
/// Messages of any size up to <see cref="TwilioStreamOptions.MaxMessageBytes"/> are read whole, with a small receive
/// buffer kept between them; one byte more ends the call with its reason.
/// </summary>
public sealed class TwilioMediaStreamReceiveTests
{
    private const string StreamSid = "MZ00000000000000000000000000000001";

    [Fact]
    public async Task A_message_larger_than_the_receive_buffer_is_read_whole_and_only_the_small_buffer_is_kept()
    {
        await using var pair = new SocketPair(new TwilioStreamOptions());
        // 30 parameters: the start reader takes at most 32.
        var parameters = Enumerable.Range(0, 30).ToDictionary(i => $"p{i}", i => new string((char)('a' + i % 26), 200));
        var start = StartFrame(parameters);
        Assert.InRange(Encoding.UTF8.GetByteCount(start), 4 * TwilioMediaStream.ReceiveBufferBytes, 16 * 1024);
        Assert.Equal(TwilioMediaStream.ReceiveBufferBytes, pair.Stream.ReceiveBufferBytesHeld);

        await pair.SendAsync(start);
        var info = await pair.Stream.ReadStartAsync(pair.Timeout, pair.Timeout);

        Assert.NotNull(info);
        Assert.Equal(parameters, info.CustomParameters);
        Assert.Equal(TwilioMediaStream.ReceiveBufferBytes, pair.Stream.ReceiveBufferBytesHeld);

        // The frames after it are read as before.
        var listener = new RecordingListener();
        var audio = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray();
        await pair.SendAsync(MediaFrame(audio));
        await pair.SendAsync($"{{\"event\":\"stop\",\"sequenceNumber\":\"3\",\"streamSid\":\"{StreamSid}\",\"stop\":{{\"accountSid\":\"AC00000000000000000000000000000001\",\"callSid\":\"CA00000000000000000000000000000001\"}}}}");
        Assert.True(await pair.Stream.RunAsync(listener, pair.Timeout));
        Assert.Equal([audio], listener.Audio);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(5000)]
    public async Task A_message_of_exactly_the_limit_is_read_and_one_byte_more_ends_the_call_with_its_reason(int maxMessageBytes)
    {
        var options = new TwilioStreamOptions { MaxMessageBytes = maxMessageBytes };
        await using (var atLimit = new SocketPair(options))
        {
            await atLimit.SendAsync(StartFrameOfLength(maxMessageBytes));
            var info = await atLimit.Stream.ReadStartAsync(atLimit.Timeout, atLimit.Timeout);
            Assert.Equal(StreamSid, info?.StreamSid);
            Assert.Equal(TwilioMediaStream.ReceiveBufferBytes, atLimit.Stream.ReceiveBufferBytesHeld);
        }

        await using var over = new SocketPair(options);
        await over.SendAsync(StartFrameOfLength(maxMessageBytes + 1));
        var closed = await Assert.ThrowsAsync<TwilioStreamClosedException>(() => over.Stream.ReadStartAsync(over.Timeout, over.Timeout));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, closed.Status);
        Assert.Equal($"a message over {maxMessageBytes} bytes", closed.Message);

        // The worker closes the call with that status and reason (CallHost); Twilio sees both.
        await over.Stream.CloseAsync(closed.Status, closed.Message, over.Timeout);
        var close = await over.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, close.Status);
        Assert.Equal(closed.Message, close.Description);
    }

    private static string StartFrameOfLength(int bytes)
    {
        var empty = StartFrame(new Dictionary<string, string> { ["pad"] = "" });
        var frame = StartFrame(new Dictionary<string, string> { ["pad"] = new string('x', bytes - empty.Length) });
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(frame));
        return frame;
    }

    private static string StartFrame(IReadOnlyDictionary<string, string> customParameters) =>
        "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC00000000000000000000000000000001\"," +
        $"\"streamSid\":\"{StreamSid}\",\"callSid\":\"CA00000000000000000000000000000001\",\"tracks\":[\"inbound\"]," +
        $"\"customParameters\":{System.Text.Json.JsonSerializer.Serialize(customParameters)}," +
        "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}," +
        $"\"streamSid\":\"{StreamSid}\"}}";

    private static string MediaFrame(byte[] audio) =>
        "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\"," +
        $"\"payload\":\"{Convert.ToBase64String(audio)}\"}},\"streamSid\":\"{StreamSid}\"}}";

    /// <summary>Twilio's end (a client WebSocket) and the worker's stream over an in-memory connection.</summary>
    [Fact]
    public async Task Connected_is_read_once_before_start_and_a_second_one_ends_the_stream()
    {
        const string connected = """{"event":"connected","protocol":"Call","version":"1.0.0"}""";
        await using (var once = new SocketPair(new TwilioStreamOptions()))
        {
            await once.SendAsync(connected);
            await once.SendAsync(StartFrame(new Dictionary<string, string>()));
            Assert.Equal(StreamSid, (await once.Stream.ReadStartAsync(once.Timeout, once.Timeout))?.StreamSid);
        }

        await using var repeated = new SocketPair(new TwilioStreamOptions());
        await repeated.SendAsync(connected);
        await repeated.SendAsync(connected);
        var closed = await Assert.ThrowsAsync<TwilioStreamClosedException>(() => repeated.Stream.ReadStartAsync(repeated.Timeout, repeated.Timeout));
        Assert.Equal((WebSocketCloseStatus.ProtocolError, "a second connected before start"), (closed.Status, closed.Message));
    }

    /// <summary>
    /// A close reason may quote what the peer sent (an unsupported media format): cut to the 123 bytes a close frame
    /// holds, counted in UTF-8 and never inside a character, it still reaches the peer.
    /// </summary>
    [Theory]
    [InlineData("é", 61)]
    [InlineData("€", 41)]
    [InlineData("a", 123)]
    public async Task A_long_close_reason_is_cut_to_what_a_close_frame_holds_and_still_sent(string character, int fits)
    {
        await using var pair = new SocketPair(new TwilioStreamOptions());
        var reason = string.Concat(Enumerable.Repeat(character, 120));

        await pair.Stream.CloseAsync(WebSocketCloseStatus.PolicyViolation, reason, pair.Timeout);
        var (status, description) = await pair.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal(reason[..Math.Min(fits, reason.Length)], description);
    }

    [Fact]
    public void A_close_reason_is_never_cut_inside_a_character()
    {
        var reason = new string('a', 122) + "😀";

        Assert.Equal(new string('a', 122), TwilioMediaStream.CloseReason(reason));
    }

    private sealed class SocketPair : IAsyncDisposable
    {
        private readonly InMemoryWebSocketPair _sockets = new();
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

        public SocketPair(TwilioStreamOptions options) => Stream = new TwilioMediaStream(_sockets.Server, options, TimeProvider.System);

        private WebSocket Client => _sockets.Client;

        public TwilioMediaStream Stream { get; }

        public CancellationToken Timeout => _timeout.Token;

        public Task SendAsync(string message) =>
            Client.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, Timeout);

        public async Task<(WebSocketCloseStatus? Status, string? Description)> ReceiveCloseAsync()
        {
            var buffer = new byte[1024];
            while ((await Client.ReceiveAsync(buffer, Timeout)).MessageType != WebSocketMessageType.Close)
            {
            }
            return (Client.CloseStatus, Client.CloseStatusDescription);
        }

        public async ValueTask DisposeAsync()
        {
            if (Client.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", Timeout);
            }
            await Stream.DisposeAsync();
            _sockets.Dispose();
            _timeout.Dispose();
        }
    }

    private sealed class RecordingListener : ITwilioStreamListener
    {
        public List<byte[]> Audio { get; } = [];

        public bool AcceptMessage() => true;

        public void OnCallerAudio(ReadOnlySpan<byte> mulaw, InboundFrameTiming timing) => Audio.Add(mulaw.ToArray());

        public void OnDtmf(char digit)
        {
        }

        public void OnPlayback(PlaybackPosition playback, bool advanced)
        {
        }
    }
}
