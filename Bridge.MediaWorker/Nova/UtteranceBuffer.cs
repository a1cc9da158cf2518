using System.Buffers;

namespace Bridge.MediaWorker.Nova;

/// <summary>
/// The caller's audio since they last paused, up to a few seconds: if a stream must be replaced while the caller
/// is speaking (a forced renewal, a failure), the new stream hears the whole utterance, not its second half.
/// Memory is rented while the caller speaks and returned at each pause. Not thread-safe: the session guards it.
/// </summary>
internal sealed class UtteranceBuffer(int sampleRate, TimeSpan capacity)
{
    private readonly int _capacity = (int)(sampleRate * capacity.TotalSeconds);
    private short[]? _ring;
    private int _start;
    private int _count;

    public int Count => _count;

    /// <summary>Keeps <paramref name="samples"/>; when full, the oldest audio makes room.</summary>
    public void Append(ReadOnlySpan<short> samples)
    {
        _ring ??= ArrayPool<short>.Shared.Rent(_capacity);
        foreach (var sample in samples.Length > _capacity ? samples[^_capacity..] : samples)
        {
            _ring[(_start + _count) % _capacity] = sample;
            if (_count < _capacity)
            {
                _count++;
            }
            else
            {
                _start = (_start + 1) % _capacity;
            }
        }
    }

    /// <summary>The caller paused: what they said has been heard whole by the current stream.</summary>
    public void Clear()
    {
        if (_ring is not null)
        {
            ArrayPool<short>.Shared.Return(_ring);
            _ring = null;
        }
        _start = 0;
        _count = 0;
    }

    /// <summary>Hands the kept audio, oldest first, to a new stream's handoff buffer.</summary>
    public void CopyTo(HandoffBuffer handoff)
    {
        if (_ring is null)
        {
            return;
        }
        var firstPart = Math.Min(_count, _capacity - _start);
        handoff.Append(_ring.AsSpan(_start, firstPart));
        handoff.Append(_ring.AsSpan(0, _count - firstPart));
    }
}
