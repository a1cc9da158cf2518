namespace Bridge.Audio;

/// <summary>
/// Model speech of any length at the model's output rate → whole 20 ms µ-law frames for Twilio
/// (160 bytes each), carrying the part of a frame that is not yet complete to the next call.
/// One per call; not thread-safe; allocates nothing after construction.
/// </summary>
public sealed class OutboundFramer
{
    // Resampled 8 kHz audio is produced in slices of this many samples.
    private const int SliceSamples = 3 * TelephoneFrame.Samples;

    private readonly Resampler _resampler;
    private readonly int _inputSliceLength;
    private readonly short[] _resampled = new short[SliceSamples];
    private readonly short[] _pending = new short[TelephoneFrame.Samples];
    private int _pendingCount;

    /// <param name="modelOutputRate">8000, 16000 or 24000.</param>
    public OutboundFramer(int modelOutputRate)
    {
        _resampler = Resampler.Create(modelOutputRate, TelephoneFrame.SampleRate);
        _inputSliceLength = SliceSamples * modelOutputRate / TelephoneFrame.SampleRate;
    }

    /// <summary>Builds the framer the options describe.</summary>
    public OutboundFramer(AudioOptions options)
        : this(options.ModelOutputRate)
    {
    }

    public int ModelOutputRate => _resampler.InputRate;

    /// <summary>8 kHz samples waiting for the rest of their frame.</summary>
    public int PendingSamples => _pendingCount;

    /// <summary>Exactly how many µ-law bytes (a multiple of 160) <see cref="Write"/> produces for this many model samples now.</summary>
    public int GetOutputLength(int modelSampleCount)
    {
        int samples = _pendingCount + _resampler.GetOutputLength(modelSampleCount);
        return samples / TelephoneFrame.Samples * TelephoneFrame.Samples;
    }

    /// <summary>The most µ-law bytes <see cref="Write"/> can produce for this many model samples, in any state.</summary>
    public int GetMaxOutputLength(int modelSampleCount)
    {
        int samples = TelephoneFrame.Samples - 1 + _resampler.GetMaxOutputLength(modelSampleCount);
        return samples / TelephoneFrame.Samples * TelephoneFrame.Samples;
    }

    /// <summary>
    /// Resamples and encodes <paramref name="modelPcm"/>, writes every frame it completes to
    /// <paramref name="ulawFrames"/> back to back, and returns the bytes written (a multiple of 160).
    /// Model audio arriving as little-endian bytes can be passed as <c>MemoryMarshal.Cast&lt;byte, short&gt;</c>.
    /// </summary>
    public int Write(ReadOnlySpan<short> modelPcm, Span<byte> ulawFrames)
    {
        int expected = GetOutputLength(modelPcm.Length);
        if (ulawFrames.Length < expected)
        {
            throw new ArgumentException($"The output holds {ulawFrames.Length} bytes; this audio completes {expected}.", nameof(ulawFrames));
        }

        if (_resampler.IsPassThrough)
        {
            return Frame(modelPcm, ulawFrames);
        }

        int written = 0;
        while (!modelPcm.IsEmpty)
        {
            var slice = modelPcm[..Math.Min(_inputSliceLength, modelPcm.Length)];
            int count = _resampler.Process(slice, _resampled);
            written += Frame(_resampled.AsSpan(0, count), ulawFrames[written..]);
            modelPcm = modelPcm[slice.Length..];
        }
        return written;
    }

    /// <summary>
    /// At the end of the model's turn: completes the pending frame with what the filter still holds and then
    /// silence, writes it (160 bytes, or nothing when no frame was begun) and starts afresh.
    /// </summary>
    public int Flush(Span<byte> ulawFrame)
    {
        int written = 0;
        if (_pendingCount > 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ulawFrame.Length, TelephoneFrame.Samples, nameof(ulawFrame));
            if (!_resampler.IsPassThrough)
            {
                // Silence pushed through the filter brings out the delayed end of the speech.
                Span<short> silence = stackalloc short[_inputSliceLength];
                silence.Clear();
                int missing = TelephoneFrame.Samples - _pendingCount;
                int tail = _resampler.Process(silence[..(missing * ModelOutputRate / TelephoneFrame.SampleRate)], _resampled);
                _resampled.AsSpan(0, tail).CopyTo(_pending.AsSpan(_pendingCount));
                _pendingCount += tail;
            }
            _pending.AsSpan(_pendingCount).Clear();
            MuLaw.Encode(_pending, ulawFrame);
            written = TelephoneFrame.Samples;
        }
        Discard();
        return written;
    }

    /// <summary>On barge-in: drops the unfinished frame and the filter's memory; nothing of the old speech is sent later.</summary>
    public void Discard()
    {
        _pendingCount = 0;
        _resampler.Reset();
    }

    private int Frame(ReadOnlySpan<short> pcm8k, Span<byte> ulawFrames)
    {
        const int frame = TelephoneFrame.Samples;
        int written = 0;
        if (_pendingCount > 0)
        {
            int take = Math.Min(frame - _pendingCount, pcm8k.Length);
            pcm8k[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            pcm8k = pcm8k[take..];
            if (_pendingCount < frame)
            {
                return 0;
            }
            MuLaw.Encode(_pending, ulawFrames);
            written = frame;
            _pendingCount = 0;
        }

        int whole = pcm8k.Length / frame * frame;
        MuLaw.Encode(pcm8k[..whole], ulawFrames.Slice(written, whole));
        written += whole;

        pcm8k[whole..].CopyTo(_pending);
        _pendingCount = pcm8k.Length - whole;
        return written;
    }
}
