using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>The worker's side of a media stream in a test: records every frame Twilio sends and sends frames back.</summary>
internal sealed class FakeMediaServer
{
    private readonly WebSocket _socket;
    private readonly List<JsonElement> _received = [];
    private readonly Lock _gate = new();
    private readonly Task _receiving;

    private readonly Func<FakeMediaServer, JsonElement, Task>? _onMessage;

    public FakeMediaServer(WebSocket socket, Func<FakeMediaServer, JsonElement, Task>? onMessage = null)
    {
        _socket = socket;
        _onMessage = onMessage;
        _receiving = ReceiveAsync();
    }

    public string? StreamSid { get; private set; }

    public IReadOnlyList<JsonElement> Received
    {
        get
        {
            lock (_gate)
            {
                return _received.ToList();
            }
        }
    }

    public IReadOnlyList<JsonElement> Events(string name) => Received.Where(m => m.GetProperty("event").GetString() == name).ToList();

    public IReadOnlyList<string> EchoedMarks => Events("mark").Select(m => m.GetProperty("mark").GetProperty("name").GetString()!).ToList();

    public Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendAudioAsync(byte[] mulaw) =>
        SendAsync($$$"""{"event":"media","streamSid":"{{{StreamSid}}}","media":{"payload":"{{{Convert.ToBase64String(mulaw)}}}"}}""");

    public Task SendMarkAsync(string name) =>
        SendAsync($$$"""{"event":"mark","streamSid":"{{{StreamSid}}}","mark":{"name":"{{{name}}}"}}""");

    public Task SendClearAsync() => SendAsync($$$"""{"event":"clear","streamSid":"{{{StreamSid}}}"}""");

    public Task CloseAsync(string reason) =>
        _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, CancellationToken.None);

    /// <summary>Waits (in real time, briefly) until <paramref name="condition"/> holds over what was received.</summary>
    public async Task WaitUntilAsync(Func<FakeMediaServer, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 10 s for {what}; received: {string.Join(", ", Received.Select(m => m.GetProperty("event").GetString()))}");
            }
            await Task.Delay(5);
        }
    }

    public Task Finished => _receiving;

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    }
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var json = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                lock (_gate)
                {
                    _received.Add(json);
                    if (json.GetProperty("event").GetString() == "start")
                    {
                        StreamSid = json.GetProperty("streamSid").GetString();
                    }
                }
                if (_onMessage is not null)
                {
                    await _onMessage(this, json);
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            // A server drops the connection once the close handshake is done; a client waits for that.
            _socket.Dispose();
        }
    }
}
