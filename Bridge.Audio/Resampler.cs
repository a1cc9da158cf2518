namespace Bridge.Audio;

/// <summary>
/// A streaming sample-rate converter between 8, 16 and 24 kHz for 16-bit mono PCM. It keeps its filter state
/// between calls: feeding a signal in chunks of any size gives, bit for bit, the output of one call over the
/// whole signal. Not thread-safe; one per direction per call.
/// </summary>
public abstract class Resampler
{
    private protected Resampler(int inputRate, int outputRate)
    {
        InputRate = inputRate;
        OutputRate = outputRate;
    }

    /// <summary>The rates <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<int> SupportedRates { get; } = [8000, 16000, 24000];

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>True when the rates are equal: <see cref="Process"/> only copies.</summary>
    public abstract bool IsPassThrough { get; }

    /// <summary>How far the output lags the input (half the filter's length); zero for a pass-through.</summary>
    public abstract TimeSpan Delay { get; }

    /// <summary>A resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/>, each 8000, 16000 or 24000.</summary>
    public static Resampler Create(int inputRate, int outputRate)
    {
        if (!SupportedRates.Contains(inputRate))
        {
            throw new ArgumentOutOfRangeException(nameof(inputRate), inputRate, "The input rate must be 8000, 16000 or 24000.");
        }
        if (!SupportedRates.Contains(outputRate))
        {
            throw new ArgumentOutOfRangeException(nameof(outputRate), outputRate, "The output rate must be 8000, 16000 or 24000.");
        }
        return inputRate == outputRate
            ? new PassThroughResampler(inputRate)
            : new PolyphaseResampler(inputRate, outputRate);
    }

    /// <summary>
    /// Converts a whole recording (not a stream) and compensates the filter's delay: the input is padded with the
    /// delay's worth of silence and the output's leading delay dropped, so the result lines up with the input and is
    /// exactly as long (⌊length · out / in⌋ samples).
    /// </summary>
    public static short[] ConvertWhole(ReadOnlySpan<short> input, int inputRate, int outputRate)
    {
        var resampler = Create(inputRate, outputRate);
        if (resampler.IsPassThrough)
        {
            return input.ToArray();
        }

        var padding = (int)Math.Ceiling(resampler.Delay.TotalSeconds * inputRate);
        var padded = new short[input.Length + padding];
        input.CopyTo(padded);
        var converted = new short[resampler.GetOutputLength(padded.Length)];
        var written = resampler.Process(padded, converted);

        var skip = Math.Min(written, (int)Math.Round(resampler.Delay.TotalSeconds * outputRate));
        var length = Math.Min(written - skip, (int)((long)input.Length * outputRate / inputRate));
        return converted.AsSpan(skip, length).ToArray();
    }

    /// <summary>The most samples <see cref="Process"/> can write for <paramref name="inputLength"/> samples, in any state.</summary>
    public int GetMaxOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return (int)(((long)inputLength * OutputRate + InputRate - 1) / InputRate);
    }

    /// <summary>Exactly how many samples <see cref="Process"/> will write for <paramref name="inputLength"/> samples now.</summary>
    public abstract int GetOutputLength(int inputLength);

    /// <summary>
    /// Converts <paramref name="input"/> and writes the samples it completes to <paramref name="output"/>
    /// (which must hold <see cref="GetOutputLength"/> samples); returns how many were written.
    /// </summary>
    public abstract int Process(ReadOnlySpan<short> input, Span<short> output);

    /// <summary>Forgets all past input, as after a barge-in flush: the next call starts from silence.</summary>
    public abstract void Reset();
}
