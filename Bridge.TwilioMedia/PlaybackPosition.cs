namespace Bridge.TwilioMedia;

/// <summary>
/// How much of the audio sent to Twilio the caller has heard, at one moment, in µ-law bytes at 8 kHz (8 bytes per
/// millisecond) since the stream started: what was sent, heard (a mark after it came back) and flushed by a
/// <c>clear</c> before it played. See <see cref="PlaybackTracker"/>.
/// </summary>
public readonly record struct PlaybackPosition(long SentBytes, long HeardBytes, long FlushedBytes)
{
    public const int BytesPerMillisecond = PlaybackTracker.BytesPerMillisecond;

    /// <summary>How far what was sent runs ahead of what was heard: what Twilio still has buffered, at most.</summary>
    public long LeadBytes => SentBytes - HeardBytes - FlushedBytes;
}
