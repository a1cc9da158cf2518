using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Bridge.Softphone.Calls;

/// <summary>
/// What the server sends the page, in order, from one loop: binary frames of what the line plays (20 ms of 8 kHz
/// PCM16), and JSON text messages about the call. Bounded: a page that stops reading loses its oldest messages,
/// never the call's clock (the stand-in posts from its playback tick and must not wait).
/// </summary>
internal sealed class BrowserLink(WebSocket socket)
{
    private const int MaxQueued = 500; // 10 s of audio

    private readonly Channel<(byte[] Bytes, WebSocketMessageType Type)> _outbound =
        Channel.CreateBounded<(byte[], WebSocketMessageType)>(new BoundedChannelOptions(MaxQueued)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

    public void SendAudio(byte[] pcm16) => _outbound.Writer.TryWrite((pcm16, WebSocketMessageType.Binary));

    /// <summary>A message <c>{"type": type, …fields}</c>.</summary>
    public void Send(string type, params (string Name, object? Value)[] fields)
    {
        var message = new Dictionary<string, object?> { ["type"] = type };
        foreach (var (name, value) in fields)
        {
            message[name] = value;
        }
        _outbound.Writer.TryWrite((JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text));
    }

    /// <summary>Nothing more will be sent; the loop ends once the queue is out.</summary>
    public void Complete() => _outbound.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (bytes, type) in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                if (socket.State != WebSocketState.Open)
                {
                    continue;
                }
                await socket.SendAsync(bytes, type, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The page went away; the call ends with it.
        }
    }
}
