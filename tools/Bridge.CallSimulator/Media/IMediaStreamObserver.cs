namespace Bridge.CallSimulator.Media;

/// <summary>Sees the media as it crosses the socket (for latency measurement). Timestamps are TimeProvider ticks.</summary>
public interface IMediaStreamObserver
{
    /// <summary>Caller frame <paramref name="chunk"/> (1-based) is about to be sent.</summary>
    void CallerFrameSent(long chunk, long timestamp);

    /// <summary>A media payload from the server arrived.</summary>
    void ServerAudioReceived(ReadOnlySpan<byte> payload, long timestamp);
}
