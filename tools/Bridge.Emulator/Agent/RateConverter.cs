namespace Bridge.Emulator.Agent;

/// <summary>Converts a block of PCM16 from one rate to another (linear interpolation; a stand-in until Bridge.Audio's resamplers land).</summary>
public static class RateConverter
{
    public static short[] Convert(ReadOnlySpan<short> input, int inputRate, int outputRate)
    {
        if (inputRate == outputRate)
        {
            return input.ToArray();
        }

        var outputLength = (int)((long)input.Length * outputRate / inputRate);
        var output = new short[outputLength];
        for (var i = 0; i < outputLength; i++)
        {
            var position = (double)i * inputRate / outputRate;
            var index = (int)position;
            var fraction = position - index;
            var a = input[Math.Min(index, input.Length - 1)];
            var b = input[Math.Min(index + 1, input.Length - 1)];
            output[i] = (short)Math.Round(a + ((b - a) * fraction));
        }

        return output;
    }
}
