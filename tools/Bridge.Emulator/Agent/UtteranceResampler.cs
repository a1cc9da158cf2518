using Bridge.Audio;

namespace Bridge.Emulator.Agent;

/// <summary>
/// Converts a whole utterance to the output rate with Bridge.Audio's streaming resampler, compensating its delay:
/// the input is padded with the delay's worth of silence and the output's leading delay dropped, so the echo
/// is exactly as long as what the caller said.
/// </summary>
public static class UtteranceResampler
{
    public static short[] Convert(ReadOnlySpan<short> input, int inputRate, int outputRate)
    {
        var resampler = Resampler.Create(inputRate, outputRate);
        if (resampler.IsPassThrough)
        {
            return input.ToArray();
        }

        var padding = (int)Math.Ceiling(resampler.Delay.TotalSeconds * inputRate);
        var padded = new short[input.Length + padding];
        input.CopyTo(padded);
        var converted = new short[resampler.GetOutputLength(padded.Length)];
        var written = resampler.Process(padded, converted);

        var skip = (int)Math.Round(resampler.Delay.TotalSeconds * outputRate);
        var length = (int)((long)input.Length * outputRate / inputRate);
        return converted.AsSpan(Math.Min(skip, written), Math.Min(length, Math.Max(0, written - skip))).ToArray();
    }
}
