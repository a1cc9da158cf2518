namespace Bridge.TwilioStandIn.Media;

/// <summary>Sees the media as it crosses the socket (for latency measurement). Timestamps are TimeProvider ticks.</summary>
public interface IMediaStreamObserver
{
    /// <summary>Caller frame <paramref name="chunk"/> (1-based) is about to be sent.</summary>
    void CallerFrameSent(long chunk, long timestamp);

    /// <summary>
    /// A message from the server has been handled (played into the buffer, marked, cleared or rejected);
    /// <paramref name="payload"/> is the audio of a <c>media</c> message, empty otherwise.
    /// </summary>
    void ServerMessageHandled(ServerMessageKind kind, ReadOnlySpan<byte> payload, long timestamp);
}
