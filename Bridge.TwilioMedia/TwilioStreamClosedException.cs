using System.Net.WebSockets;

namespace Bridge.TwilioMedia;

/// <summary>The stream must end: Twilio sent something the bridge cannot accept. Carries the close status and why.</summary>
public sealed class TwilioStreamClosedException(WebSocketCloseStatus status, string reason) : Exception(reason)
{
    public WebSocketCloseStatus Status { get; } = status;
}
