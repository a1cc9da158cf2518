using System.Runtime.InteropServices;
using Bridge.Buffers;

namespace Bridge.NovaSonic;

/// <summary>
/// The caller's audio since they last paused or the model last transcribed them, up to a few seconds: if a stream
/// must be replaced before answering (a forced renewal, a failure), the new stream hears the whole utterance, not its
/// second half — and never words already in the history it is given.
/// Kept as the PCM the model is sent (the session's input rate) in a <see cref="PooledByteQueue"/> whose segments are
/// rented as the utterance grows and returned at each pause: memory follows what was said, at two bytes a sample.
/// Not thread-safe: its owner guards it.
/// </summary>
internal sealed class UtteranceBuffer
{
    internal const int SegmentBytes = 4096;

    private readonly int _capacityBytes;
    private PooledByteQueue _pcm;

    public UtteranceBuffer(int sampleRate, TimeSpan capacity)
    {
        _capacityBytes = (int)(sampleRate * capacity.TotalSeconds) * sizeof(short);
        _pcm = new PooledByteQueue(_capacityBytes, SegmentBytes);
    }

    /// <summary>Samples kept.</summary>
    public int Count => _pcm.Count / sizeof(short);

    /// <summary>Segments rented now: at most enough for the capacity, plus one.</summary>
    internal int RentedSegments => _pcm.Segments;

    /// <summary>Keeps <paramref name="samples"/>; when full, the oldest audio makes room.</summary>
    public void Append(ReadOnlySpan<short> samples)
    {
        var bytes = MemoryMarshal.AsBytes(samples);
        if (bytes.Length > _capacityBytes)
        {
            bytes = bytes[^_capacityBytes..];
        }
        _pcm.Discard(bytes.Length - _pcm.FreeBytes);
        _pcm.Enqueue(bytes);
    }

    /// <summary>The caller paused, or the model transcribed what they said: none of it needs replaying.</summary>
    public void Clear() => _pcm.Clear();

    /// <summary>Hands the kept audio, oldest first, to a new stream's handoff (its segments move; nothing is copied), and keeps none of it.</summary>
    public void MoveTo(HandoffBuffer handoff)
    {
        handoff.TakeOver(_pcm);
        _pcm = new PooledByteQueue(_capacityBytes, SegmentBytes);
    }
}
