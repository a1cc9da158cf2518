using System.Net.WebSockets;

namespace Bridge.TwilioMedia;

/// <summary>
/// What a call needs of its Twilio media stream once it has started: the caller's frames in, the model's audio out
/// (each piece followed by a mark), <c>clear</c>, the close, and what the caller has heard of what was sent.
/// <see cref="TwilioMediaStream"/> is the real one, over a WebSocket; a call's behaviour is tested with a fake on fake
/// time.
/// </summary>
public interface ITwilioMediaStream
{
    /// <summary>Feeds <paramref name="listener"/> until Twilio sends <c>stop</c> (true) or closes the socket (false).</summary>
    Task<bool> RunAsync(ITwilioStreamListener listener, CancellationToken cancellationToken);

    /// <summary>
    /// Sends µ-law audio and a mark after it: the caller has heard it once the mark comes back. Counted as sent (in
    /// <see cref="Playback"/>) before this returns its task. One send or clear at a time.
    /// </summary>
    ValueTask SendAudioAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken);

    /// <summary>Sends <c>clear</c>: Twilio drops what it has buffered, and what was not heard counts as flushed.</summary>
    ValueTask SendClearAsync(CancellationToken cancellationToken);

    /// <summary>Ends the stream with a status and reason (sent to Twilio, and shown in its debugger).</summary>
    Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken);

    /// <summary>What the caller has heard of the audio sent, now.</summary>
    PlaybackPosition Playback { get; }

    /// <summary>Gaps, loss, lateness and jitter of the caller's frames so far; read it once the stream has ended.</summary>
    InboundTimingMonitor InboundTiming { get; }
}
