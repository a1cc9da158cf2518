using Bridge.Audio;
namespace Bridge.TwilioMedia;

/// <summary>
/// Knows how much of the audio sent to Twilio the caller has actually heard, from the marks Twilio echoes.
/// After every piece of audio the bridge sends a mark; an echo of a current-generation mark means everything
/// before it played. A <c>clear</c> starts a new generation: Twilio echoes the old generation's pending marks at
/// once, and those mean nothing was heard. Positions are in µ-law bytes at 8 kHz (8 bytes per millisecond).
/// Not thread-safe: one per stream, used from its send path and its receive path under the stream's lock (what the
/// caller heard belongs to the Twilio stream: <see cref="TwilioMediaStream.Playback"/>).
/// </summary>
public sealed class PlaybackTracker
{
    public const int BytesPerMillisecond = TelephoneFrame.SampleRate / 1000;

    private readonly Queue<(long Sequence, long Position)> _pending = new();
    private long _nextSequence;

    /// <summary>The current clear generation: marks of older generations were flushed, not played.</summary>
    public int Generation { get; private set; }

    /// <summary>Bytes sent to Twilio since the stream started (all generations).</summary>
    public long SentBytes { get; private set; }

    /// <summary>Bytes the caller has heard since the stream started (all generations).</summary>
    public long HeardBytes { get; private set; }

    /// <summary>Bytes flushed by <c>clear</c> before they were played.</summary>
    public long FlushedBytes { get; private set; }

    /// <summary>How far what was sent runs ahead of what was heard: what Twilio still has buffered, at most.</summary>
    public long LeadBytes => SentBytes - HeardBytes - FlushedBytes;

    public TimeSpan Lead => TimeSpan.FromMilliseconds((double)LeadBytes / BytesPerMillisecond);

    /// <summary>Marks sent and not yet echoed in the current generation.</summary>
    public int PendingMarks => _pending.Count;

    /// <summary>Records <paramref name="bytes"/> of audio sent and returns the mark to send right after it.</summary>
    public PlaybackMark AudioSent(int bytes)
    {
        SentBytes += bytes;
        var mark = new PlaybackMark(Generation, _nextSequence++);
        _pending.Enqueue((mark.Sequence, SentBytes));
        return mark;
    }

    /// <summary>Twilio echoed a mark. Returns whether it advanced what the caller heard.</summary>
    public bool MarkEchoed(PlaybackMark mark)
    {
        if (mark.Generation != Generation)
        {
            return false;
        }
        var advanced = false;
        while (_pending.TryPeek(out var pending) && pending.Sequence <= mark.Sequence)
        {
            _pending.Dequeue();
            HeardBytes = pending.Position - FlushedBytes;
            advanced = true;
        }
        return advanced;
    }

    /// <summary>
    /// The bridge sent <c>clear</c>: what was not yet heard is flushed, and a new generation begins.
    /// Returns the bytes flushed.
    /// </summary>
    public long Cleared()
    {
        var flushed = LeadBytes;
        FlushedBytes += flushed;
        _pending.Clear();
        Generation++;
        return flushed;
    }
}
