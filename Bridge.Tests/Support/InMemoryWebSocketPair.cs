using System.IO.Pipelines;
using System.Net.WebSockets;

namespace Bridge.Tests.Support;

/// <summary>Two real WebSocket endpoints joined by in-memory pipes: the protocol without the network.</summary>
internal sealed class InMemoryWebSocketPair : IDisposable
{
    public InMemoryWebSocketPair()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        Client = WebSocket.CreateFromStream(new PipeDuplexStream(toClient.Reader, toServer.Writer), new WebSocketCreationOptions { IsServer = false });
        Server = WebSocket.CreateFromStream(new PipeDuplexStream(toServer.Reader, toClient.Writer), new WebSocketCreationOptions { IsServer = true });
    }

    /// <summary>Twilio's end (the simulator, or a test speaking as Twilio).</summary>
    public WebSocket Client { get; }

    /// <summary>The media worker's end.</summary>
    public WebSocket Server { get; }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
