namespace Bridge.Audio;

/// <summary>
/// Caller audio (8 kHz µ-law, Twilio's 20 ms frames or any length) → PCM chunks of a fixed duration at the
/// model's input rate, carrying the unfinished chunk to the next call. One per call; not thread-safe;
/// allocates nothing after construction.
/// </summary>
public sealed class InboundChunker
{
    private readonly Resampler _resampler;
    private readonly short[] _decoded = new short[TelephoneFrame.Samples];
    private readonly short[] _resampled;
    private readonly short[] _pending;
    private int _pendingCount;

    /// <param name="modelInputRate">8000 or 16000.</param>
    /// <param name="chunkMilliseconds">The duration of one chunk for the model, 20 to 100 ms.</param>
    public InboundChunker(int modelInputRate, int chunkMilliseconds)
    {
        if (modelInputRate is not (8000 or 16000))
        {
            throw new ArgumentOutOfRangeException(nameof(modelInputRate), modelInputRate, "The model input rate must be 8000 or 16000.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkMilliseconds, 20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkMilliseconds, 100);

        _resampler = Resampler.Create(TelephoneFrame.SampleRate, modelInputRate);
        _resampled = new short[_resampler.GetMaxOutputLength(TelephoneFrame.Samples)];
        _pending = new short[modelInputRate / 1000 * chunkMilliseconds];
    }

    /// <summary>Builds the chunker the options describe.</summary>
    public InboundChunker(AudioOptions options)
        : this(options.ModelInputRate, options.ModelInputChunkMilliseconds)
    {
    }

    public int ModelInputRate => _resampler.OutputRate;

    /// <summary>Samples (at the model's input rate) in one chunk.</summary>
    public int ChunkSamples => _pending.Length;

    /// <summary>Samples waiting for the rest of their chunk.</summary>
    public int PendingSamples => _pendingCount;

    /// <summary>Exactly how many samples (a multiple of <see cref="ChunkSamples"/>) <see cref="Write"/> produces for this many µ-law bytes now.</summary>
    public int GetOutputLength(int ulawByteCount)
    {
        int samples = _pendingCount + _resampler.GetOutputLength(ulawByteCount);
        return samples / ChunkSamples * ChunkSamples;
    }

    /// <summary>The most samples <see cref="Write"/> can produce for this many µ-law bytes, in any state.</summary>
    public int GetMaxOutputLength(int ulawByteCount)
    {
        int samples = ChunkSamples - 1 + _resampler.GetMaxOutputLength(ulawByteCount);
        return samples / ChunkSamples * ChunkSamples;
    }

    /// <summary>
    /// Decodes (and resamples) <paramref name="ulaw"/>, writes every chunk it completes to <paramref name="chunks"/>
    /// back to back and returns the samples written. The model wants them as little-endian bytes:
    /// <c>MemoryMarshal.AsBytes</c> of the written span.
    /// </summary>
    public int Write(ReadOnlySpan<byte> ulaw, Span<short> chunks)
    {
        int expected = GetOutputLength(ulaw.Length);
        if (chunks.Length < expected)
        {
            throw new ArgumentException($"The output holds {chunks.Length} samples; this audio completes {expected}.", nameof(chunks));
        }

        int written = 0;
        while (!ulaw.IsEmpty)
        {
            var slice = ulaw[..Math.Min(TelephoneFrame.Samples, ulaw.Length)];
            var decoded = _decoded.AsSpan(0, slice.Length);
            MuLaw.Decode(slice, decoded);
            ReadOnlySpan<short> pcm = decoded;
            if (!_resampler.IsPassThrough)
            {
                pcm = _resampled.AsSpan(0, _resampler.Process(decoded, _resampled));
            }
            written += Chunk(pcm, chunks[written..]);
            ulaw = ulaw[slice.Length..];
        }
        return written;
    }

    /// <summary>At the end of the caller's audio: writes the unfinished chunk as it is (shorter than a chunk) and starts afresh.</summary>
    public int Flush(Span<short> output)
    {
        int count = _pendingCount;
        _pending.AsSpan(0, count).CopyTo(output);
        Reset();
        return count;
    }

    /// <summary>Drops the unfinished chunk and the filter's memory.</summary>
    public void Reset()
    {
        _pendingCount = 0;
        _resampler.Reset();
    }

    private int Chunk(ReadOnlySpan<short> pcm, Span<short> chunks)
    {
        int written = 0;
        while (!pcm.IsEmpty)
        {
            int take = Math.Min(ChunkSamples - _pendingCount, pcm.Length);
            pcm[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            pcm = pcm[take..];
            if (_pendingCount == ChunkSamples)
            {
                _pending.CopyTo(chunks[written..]);
                written += ChunkSamples;
                _pendingCount = 0;
            }
        }
        return written;
    }
}
