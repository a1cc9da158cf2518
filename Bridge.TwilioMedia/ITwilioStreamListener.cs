namespace Bridge.TwilioMedia;

/// <summary>
/// What a call hears from Twilio once the stream has started. Called on the stream's receive loop, one frame at
/// a time; spans are valid only during the call.
/// </summary>
public interface ITwilioStreamListener
{
    /// <summary>
    /// A message arrived, whatever its event, before it is read: false when the call takes no more (too many, or the
    /// call is ending), and it is dropped unread, as is every one after it until the socket closes.
    /// </summary>
    bool AcceptMessage();

    /// <summary>20 ms of the caller's µ-law audio, with what its timing showed of the path from Twilio.</summary>
    void OnCallerAudio(ReadOnlySpan<byte> mulaw, InboundFrameTiming timing);

    void OnDtmf(char digit);

    /// <summary>
    /// Twilio echoed one of the stream's marks: playback reached it (<paramref name="advanced"/>: the caller heard
    /// more), or a clear flushed it. <paramref name="playback"/> is where playback stands after it.
    /// </summary>
    void OnPlayback(PlaybackPosition playback, bool advanced);
}
