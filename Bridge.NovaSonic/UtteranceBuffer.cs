using Bridge.Audio;
using Bridge.Buffers;

namespace Bridge.NovaSonic;

/// <summary>
/// The caller's audio since they last paused or the model last transcribed them, up to a few seconds: if a stream
/// must be replaced before answering (a forced renewal, a failure), the new stream hears the whole utterance, not its
/// second half — and never words already in the history it is given.
/// Kept as G.711 µ-law of the PCM the model is sent (the session's input rate), one byte a sample, in a
/// <see cref="PooledByteQueue"/> whose segments are rented as the utterance grows and returned at each pause: memory
/// follows what was said. Every call keeps its utterance, and a replay is rare, so the buffer is held at half the size
/// of PCM and decoded only when a stream is replaced. The caller's audio was µ-law on the phone line already: the
/// second quantisation's noise is about as loud as the line's own (35–41 dB below a phone caller's voice), so the
/// replacement stream hears the caller with about 3 dB more noise (docs/benchmarks.md, issue 18 round 4).
/// Not thread-safe: its owner guards it.
/// </summary>
internal sealed class UtteranceBuffer
{
    /// <summary>
    /// A kilobyte, so that what a call rents follows what it keeps to within one: a full utterance is 24 KB at 8 kHz,
    /// and 4 KB segments left 2–3 KB of each call's unused (docs/benchmarks.md, issue 18 round 5).
    /// </summary>
    internal const int SegmentBytes = 1024;

    /// <summary>Samples encoded at a time on the stack (an 80 ms chunk is 640 at 8 kHz, 1,280 at 16 kHz: two blocks).</summary>
    private const int EncodeBlock = 1024;

    private readonly int _capacity;
    private PooledByteQueue _muLaw;

    public UtteranceBuffer(int sampleRate, TimeSpan capacity)
    {
        _capacity = (int)(sampleRate * capacity.TotalSeconds);
        _muLaw = new PooledByteQueue(_capacity, SegmentBytes);
    }

    /// <summary>Samples kept.</summary>
    public int Count => _muLaw.Count;

    /// <summary>Segments rented now: at most enough for the capacity, plus one.</summary>
    internal int RentedSegments => _muLaw.Segments;

    /// <summary>Keeps <paramref name="samples"/>; when full, the oldest audio makes room.</summary>
    public void Append(ReadOnlySpan<short> samples)
    {
        if (samples.Length > _capacity)
        {
            samples = samples[^_capacity..];
        }
        _muLaw.Discard(samples.Length - _muLaw.FreeBytes);
        Span<byte> encoded = stackalloc byte[EncodeBlock];
        while (!samples.IsEmpty)
        {
            var block = samples[..Math.Min(samples.Length, EncodeBlock)];
            MuLaw.Encode(block, encoded);
            _muLaw.Enqueue(encoded[..block.Length]);
            samples = samples[block.Length..];
        }
    }

    /// <summary>The caller paused, or the model transcribed what they said: none of it needs replaying.</summary>
    public void Clear() => _muLaw.Clear();

    /// <summary>
    /// Hands the kept audio, oldest first and still µ-law, to a new stream's handoff (its segments move; nothing is
    /// copied or decoded until the replay), and keeps none of it.
    /// </summary>
    public void MoveTo(HandoffBuffer handoff)
    {
        handoff.TakeOver(_muLaw);
        _muLaw = new PooledByteQueue(_capacity, SegmentBytes);
    }
}
