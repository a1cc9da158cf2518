namespace Bridge.MediaWorker.Nova;

/// <summary>
/// The caller's audio since they last paused, up to a few seconds: if a stream must be replaced while the caller
/// is speaking (a forced renewal, a failure), the new stream hears the whole utterance, not its second half.
/// Not thread-safe: the session guards it.
/// </summary>
internal sealed class UtteranceBuffer(int sampleRate, TimeSpan capacity)
{
    private readonly short[] _ring = new short[(int)(sampleRate * capacity.TotalSeconds)];
    private int _start;
    private int _count;

    public int Count => _count;

    /// <summary>Keeps <paramref name="samples"/>; when full, the oldest audio makes room.</summary>
    public void Append(ReadOnlySpan<short> samples)
    {
        foreach (var sample in samples.Length > _ring.Length ? samples[^_ring.Length..] : samples)
        {
            _ring[(_start + _count) % _ring.Length] = sample;
            if (_count < _ring.Length)
            {
                _count++;
            }
            else
            {
                _start = (_start + 1) % _ring.Length;
            }
        }
    }

    /// <summary>The caller paused: what they said has been heard whole by the current stream.</summary>
    public void Clear()
    {
        _start = 0;
        _count = 0;
    }

    /// <summary>Hands the kept audio, oldest first, to a new stream's handoff buffer.</summary>
    public void CopyTo(HandoffBuffer handoff)
    {
        var firstPart = Math.Min(_count, _ring.Length - _start);
        handoff.Append(_ring.AsSpan(_start, firstPart));
        handoff.Append(_ring.AsSpan(0, _count - firstPart));
    }
}
