using Bridge.Audio;
using Bridge.MediaWorker.Buffers;

namespace Bridge.MediaWorker.Nova;

/// <summary>
/// The caller's audio since they last paused, up to a few seconds: if a stream must be replaced while the caller
/// is speaking (a forced renewal, a failure), the new stream hears the whole utterance, not its second half.
/// Kept as G.711 µ-law (the caller's audio came off the phone line as µ-law, so little is lost) in pooled segments
/// rented as the utterance grows and returned at each pause: memory follows what was said, at one byte a sample,
/// instead of a whole capacity of PCM per call. Not thread-safe: the session guards it.
/// </summary>
internal sealed class UtteranceBuffer(int sampleRate, TimeSpan capacity)
{
    internal const int SegmentBytes = 4096;

    private readonly int _capacity = (int)(sampleRate * capacity.TotalSeconds);
    private readonly Queue<byte[]> _segments = new();
    private byte[]? _tail;
    private int _headOffset;
    private int _tailLength;
    private int _count;

    public int Count => _count;

    /// <summary>Segments rented now: at most enough for the capacity, plus one.</summary>
    internal int RentedSegments => _segments.Count + (_tail is null ? 0 : 1);

    /// <summary>Keeps <paramref name="samples"/>; when full, the oldest audio makes room.</summary>
    public void Append(ReadOnlySpan<short> samples)
    {
        if (samples.Length > _capacity)
        {
            samples = samples[^_capacity..];
        }
        while (!samples.IsEmpty)
        {
            if (_tail is null || _tailLength == SegmentBytes)
            {
                if (_tail is not null)
                {
                    _segments.Enqueue(_tail);
                }
                _tail = RentedBuffers.Rent<byte>(SegmentBytes);
                _tailLength = 0;
            }
            var piece = Math.Min(samples.Length, SegmentBytes - _tailLength);
            MuLaw.Encode(samples[..piece], _tail.AsSpan(_tailLength, piece));
            _tailLength += piece;
            _count += piece;
            samples = samples[piece..];
        }
        DropOldestBeyondCapacity();
    }

    /// <summary>The caller paused: what they said has been heard whole by the current stream.</summary>
    public void Clear()
    {
        while (_segments.TryDequeue(out var segment))
        {
            RentedBuffers.Return(segment);
        }
        if (_tail is not null)
        {
            RentedBuffers.Return(_tail);
            _tail = null;
        }
        _headOffset = 0;
        _tailLength = 0;
        _count = 0;
    }

    /// <summary>Hands the kept audio, oldest first, to a new stream's handoff buffer.</summary>
    public void CopyTo(HandoffBuffer handoff)
    {
        Span<short> decoded = stackalloc short[1024];
        var offset = _headOffset;
        foreach (var segment in _segments)
        {
            DecodeInto(handoff, segment.AsSpan(offset, SegmentBytes - offset), decoded);
            offset = 0;
        }
        if (_tail is not null)
        {
            DecodeInto(handoff, _tail.AsSpan(offset, _tailLength - offset), decoded);
        }
    }

    private void DropOldestBeyondCapacity()
    {
        var excess = _count - _capacity;
        while (excess > 0)
        {
            if (!_segments.TryPeek(out var head))
            {
                // Only the tail is left and it holds more than the capacity: the capacity is below one segment.
                _headOffset += excess;
                _count -= excess;
                return;
            }
            var inHead = SegmentBytes - _headOffset;
            if (excess < inHead)
            {
                _headOffset += excess;
                _count -= excess;
                return;
            }
            RentedBuffers.Return(_segments.Dequeue());
            _headOffset = 0;
            _count -= inHead;
            excess -= inHead;
        }
    }

    private static void DecodeInto(HandoffBuffer handoff, ReadOnlySpan<byte> ulaw, Span<short> decoded)
    {
        while (!ulaw.IsEmpty)
        {
            var piece = Math.Min(ulaw.Length, decoded.Length);
            MuLaw.Decode(ulaw[..piece], decoded);
            handoff.Append(decoded[..piece]);
            ulaw = ulaw[piece..];
        }
    }
}
