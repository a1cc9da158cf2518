namespace Bridge.Buffers;

/// <summary>
/// Bytes in first-in first-out order, in pooled segments rented as they fill and returned as they empty: memory
/// follows what is queued, up to <see cref="CapacityBytes"/>. Holds the model's µ-law audio waiting for playback and
/// the caller's utterance kept for a replay. Not thread-safe: its owner guards it.
/// </summary>
public sealed class PooledByteQueue(int capacityBytes, int segmentBytes) : IDisposable
{
    private readonly int _segmentBytes = segmentBytes;
    private readonly Queue<byte[]> _segments = new();
    private byte[]? _tail;
    private int _headOffset;
    private int _tailLength = segmentBytes;

    public int CapacityBytes { get; } = capacityBytes;

    public int Count { get; private set; }

    public int FreeBytes => CapacityBytes - Count;

    /// <summary>Segments rented now.</summary>
    public int Segments => _segments.Count;

    /// <summary>Appends as much of <paramref name="audio"/> as fits; returns how much did.</summary>
    public int Enqueue(ReadOnlySpan<byte> audio)
    {
        var accepted = Math.Min(audio.Length, FreeBytes);
        var remaining = audio[..accepted];
        while (!remaining.IsEmpty)
        {
            if (_tailLength == _segmentBytes)
            {
                _tail = RentedBuffers.Rent<byte>(_segmentBytes);
                _segments.Enqueue(_tail);
                _tailLength = 0;
            }
            var n = Math.Min(remaining.Length, _segmentBytes - _tailLength);
            remaining[..n].CopyTo(_tail.AsSpan(_tailLength));
            _tailLength += n;
            remaining = remaining[n..];
        }
        Count += accepted;
        return accepted;
    }

    /// <summary>Moves up to <paramref name="destination"/>'s length of queued bytes into it; returns how many.</summary>
    public int Dequeue(Span<byte> destination) => Take(destination.Length, destination);

    /// <summary>Drops up to <paramref name="count"/> of the oldest bytes; returns how many.</summary>
    public int Discard(int count) => Take(count, Span<byte>.Empty);

    private int Take(int count, Span<byte> destination)
    {
        var taken = 0;
        while (taken < count && Count > 0)
        {
            var head = _segments.Peek();
            var headEnd = _segments.Count == 1 ? _tailLength : _segmentBytes;
            var n = Math.Min(count - taken, headEnd - _headOffset);
            if (!destination.IsEmpty)
            {
                head.AsSpan(_headOffset, n).CopyTo(destination[taken..]);
            }
            taken += n;
            _headOffset += n;
            Count -= n;
            if (_headOffset == headEnd)
            {
                ReleaseHead();
            }
        }
        return taken;
    }

    /// <summary>Drops everything queued.</summary>
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
            _tailLength = _segmentBytes;
        }
    }
}
