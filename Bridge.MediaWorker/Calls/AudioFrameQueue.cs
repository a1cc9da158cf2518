using Bridge.MediaWorker.Buffers;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// The model's audio waiting to be sent to Twilio, as µ-law bytes in pooled one-second segments: memory follows
/// what is queued, up to <see cref="CapacityBytes"/>. Not thread-safe: the call guards it.
/// </summary>
public sealed class AudioFrameQueue(int capacityBytes) : IDisposable
{
    private const int SegmentBytes = 8000;

    private readonly Queue<byte[]> _segments = new();
    private byte[]? _tail;
    private int _headOffset;
    private int _tailLength = SegmentBytes;

    public int CapacityBytes { get; } = capacityBytes;

    public int Count { get; private set; }

    public int FreeBytes => CapacityBytes - Count;

    /// <summary>Appends as much of <paramref name="audio"/> as fits; returns how much did.</summary>
    public int Enqueue(ReadOnlySpan<byte> audio)
    {
        var accepted = Math.Min(audio.Length, FreeBytes);
        var remaining = audio[..accepted];
        while (!remaining.IsEmpty)
        {
            if (_tailLength == SegmentBytes)
            {
                _tail = RentedBuffers.Rent<byte>(SegmentBytes);
                _segments.Enqueue(_tail);
                _tailLength = 0;
            }
            var n = Math.Min(remaining.Length, SegmentBytes - _tailLength);
            remaining[..n].CopyTo(_tail.AsSpan(_tailLength));
            _tailLength += n;
            remaining = remaining[n..];
        }
        Count += accepted;
        return accepted;
    }

    /// <summary>Moves up to <paramref name="destination"/>'s length of queued audio into it; returns how much.</summary>
    public int Dequeue(Span<byte> destination)
    {
        var copied = 0;
        while (copied < destination.Length && Count > 0)
        {
            var head = _segments.Peek();
            var headEnd = _segments.Count == 1 ? _tailLength : SegmentBytes;
            var n = Math.Min(destination.Length - copied, headEnd - _headOffset);
            head.AsSpan(_headOffset, n).CopyTo(destination[copied..]);
            copied += n;
            _headOffset += n;
            Count -= n;
            if (_headOffset == headEnd)
            {
                ReleaseHead();
            }
        }
        return copied;
    }

    /// <summary>Drops everything queued (barge-in).</summary>
    public int Clear()
    {
        var dropped = Count;
        while (_segments.Count > 0)
        {
            ReleaseHead();
        }
        Count = 0;
        return dropped;
    }

    public void Dispose() => Clear();

    private void ReleaseHead()
    {
        RentedBuffers.Return(_segments.Dequeue());
        _headOffset = 0;
        if (_segments.Count == 0)
        {
            _tail = null;
            _tailLength = SegmentBytes;
        }
    }
}
