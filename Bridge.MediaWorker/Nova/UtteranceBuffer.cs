using Bridge.Audio;
using Bridge.MediaWorker.Buffers;

namespace Bridge.MediaWorker.Nova;

/// <summary>
/// The caller's audio since they last paused, up to a few seconds: if a stream must be replaced while the caller
/// is speaking (a forced renewal, a failure), the new stream hears the whole utterance, not its second half.
/// Kept as G.711 µ-law (the caller's audio came off the phone line as µ-law, so little is lost) in a
/// <see cref="PooledByteQueue"/> whose segments are rented as the utterance grows and returned at each pause: memory
/// follows what was said, at one byte a sample. Not thread-safe: the session guards it.
/// </summary>
internal sealed class UtteranceBuffer(int sampleRate, TimeSpan capacity)
{
    internal const int SegmentBytes = 4096;

    private readonly PooledByteQueue _ulaw = new((int)(sampleRate * capacity.TotalSeconds), SegmentBytes);

    public int Count => _ulaw.Count;

    /// <summary>Segments rented now: at most enough for the capacity, plus one.</summary>
    internal int RentedSegments => _ulaw.Segments;

    /// <summary>Keeps <paramref name="samples"/>; when full, the oldest audio makes room.</summary>
    public void Append(ReadOnlySpan<short> samples)
    {
        if (samples.Length > _ulaw.CapacityBytes)
        {
            samples = samples[^_ulaw.CapacityBytes..];
        }
        _ulaw.Discard(samples.Length - _ulaw.FreeBytes);
        Span<byte> encoded = stackalloc byte[1024];
        while (!samples.IsEmpty)
        {
            var piece = Math.Min(samples.Length, encoded.Length);
            MuLaw.Encode(samples[..piece], encoded);
            _ulaw.Enqueue(encoded[..piece]);
            samples = samples[piece..];
        }
    }

    /// <summary>The caller paused: what they said has been heard whole by the current stream.</summary>
    public void Clear() => _ulaw.Clear();

    /// <summary>Hands the kept audio, oldest first, to a new stream's handoff buffer, and keeps none of it.</summary>
    public void MoveTo(HandoffBuffer handoff)
    {
        Span<byte> ulaw = stackalloc byte[1024];
        Span<short> decoded = stackalloc short[1024];
        int read;
        while ((read = _ulaw.Dequeue(ulaw)) > 0)
        {
            MuLaw.Decode(ulaw[..read], decoded);
            handoff.Append(decoded[..read]);
        }
    }
}
