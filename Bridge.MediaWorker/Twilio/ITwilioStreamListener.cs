namespace Bridge.MediaWorker.Twilio;

/// <summary>
/// What a call hears from Twilio once the stream has started. Called on the stream's receive loop, one frame at
/// a time; spans are valid only during the call.
/// </summary>
public interface ITwilioStreamListener
{
    /// <summary>20 ms of the caller's µ-law audio, with what its timing showed of the path from Twilio.</summary>
    void OnCallerAudio(ReadOnlySpan<byte> mulaw, InboundFrameTiming timing);

    void OnDtmf(char digit);

    /// <summary>Twilio echoed a mark: playback reached it, or a clear flushed it. Null for a mark not named by the bridge.</summary>
    void OnMark(PlaybackMark? mark);
}
