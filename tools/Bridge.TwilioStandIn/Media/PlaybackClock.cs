using Bridge.Audio;
namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// Twilio's side of the outbound audio: <c>media</c> payloads are buffered and played in order at 8 kHz, one
/// 20 ms frame (160 µ-law bytes) per <see cref="Tick"/>; a <c>mark</c> is echoed once the audio sent before it
/// has finished playing (at once when nothing is buffered or playing); <c>clear</c> drops every buffered byte
/// and echoes every pending mark at once. Positions are offsets in the stream of all bytes ever received.
/// Not thread-safe: the session serialises calls.
/// </summary>
public sealed class PlaybackClock
{
    public const int FrameBytes = TelephoneFrame.Samples;
    public const byte Silence = MuLaw.Silence;

    private readonly Queue<byte[]> _chunks = new();
    private readonly Queue<(string Name, long Offset)> _pendingMarks = new();
    private int _headChunkOffset;

    /// <summary>Offset one past the last byte received.</summary>
    private long _receivedEnd;

    /// <summary>Offset of the next byte to play.</summary>
    private long _playHead;

    /// <summary>Offset up to which playback has finished: everything before the frame now playing.</summary>
    private long _finished;

    public long BufferedBytes => _receivedEnd - _playHead;

    public long PlayedBytes { get; private set; }

    public long DroppedBytes { get; private set; }

    public int Clears { get; private set; }

    /// <summary>Ticks that played any received audio; the first is the time to first audio.</summary>
    public long? FirstAudioTick { get; private set; }

    public long LastAudioTick { get; private set; } = -1;

    public long Ticks { get; private set; }

    /// <summary>Buffers a <c>media</c> payload.</summary>
    public void Enqueue(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return;
        }
        _chunks.Enqueue(payload);
        _receivedEnd += payload.Length;
    }

    /// <summary>Places a <c>mark</c>; returns true when it must be echoed now (nothing buffered or playing).</summary>
    public bool Mark(string name)
    {
        if (_receivedEnd <= _finished)
        {
            return true;
        }
        _pendingMarks.Enqueue((name, _receivedEnd));
        return false;
    }

    /// <summary>Drops all buffered audio; every pending mark is added to <paramref name="echo"/> in order.</summary>
    public void Clear(List<string> echo)
    {
        Clears++;
        DroppedBytes += _receivedEnd - _playHead;
        _chunks.Clear();
        _headChunkOffset = 0;
        _playHead = _receivedEnd;
        _finished = _receivedEnd; // playback stops at once: a mark sent after the clear has nothing to wait for
        while (_pendingMarks.TryDequeue(out var mark))
        {
            echo.Add(mark.Name);
        }
    }

    /// <summary>
    /// One 20 ms step of the playback clock: the frame that was playing has finished (its marks go to
    /// <paramref name="echo"/>), and the next frame starts: up to 160 buffered bytes, padded with silence,
    /// written to <paramref name="heard"/> (what the caller hears during the next 20 ms).
    /// </summary>
    public void Tick(Span<byte> heard, List<string> echo)
    {
        if (heard.Length != FrameBytes)
        {
            throw new ArgumentException($"A playback frame is {FrameBytes} bytes.", nameof(heard));
        }

        _finished = _playHead;
        while (_pendingMarks.TryPeek(out var mark) && mark.Offset <= _finished)
        {
            echo.Add(_pendingMarks.Dequeue().Name);
        }

        var filled = 0;
        while (filled < FrameBytes && _chunks.TryPeek(out var chunk))
        {
            var take = Math.Min(FrameBytes - filled, chunk.Length - _headChunkOffset);
            chunk.AsSpan(_headChunkOffset, take).CopyTo(heard[filled..]);
            filled += take;
            _headChunkOffset += take;
            if (_headChunkOffset == chunk.Length)
            {
                _chunks.Dequeue();
                _headChunkOffset = 0;
            }
        }
        heard[filled..].Fill(Silence);

        _playHead += filled;
        PlayedBytes += filled;
        if (filled > 0)
        {
            FirstAudioTick ??= Ticks;
            LastAudioTick = Ticks;
        }
        Ticks++;
    }
}
