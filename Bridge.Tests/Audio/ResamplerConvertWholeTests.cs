using Bridge.Audio;

namespace Bridge.Tests.Audio;

public sealed class ResamplerConvertWholeTests
{
    [Theory]
    [InlineData(16_000, 8_000)]
    [InlineData(8_000, 24_000)]
    [InlineData(24_000, 16_000)]
    public void A_recording_keeps_its_length_and_its_timing(int inputRate, int outputRate)
    {
        // 300 ms of silence, 200 ms of a 400 Hz tone, 300 ms of silence.
        var input = new short[inputRate * 8 / 10];
        var toneStart = inputRate * 3 / 10;
        var toneEnd = inputRate * 5 / 10;
        for (var i = toneStart; i < toneEnd; i++)
        {
            input[i] = (short)(10_000 * Math.Sin(2 * Math.PI * 400 * i / inputRate));
        }

        var output = Resampler.ConvertWhole(input, inputRate, outputRate);

        Assert.Equal(input.Length * outputRate / inputRate, output.Length);
        // Not delayed (the filter alone delays by ~1.7 ms): quiet up to 1 ms before the tone, quiet again from 1 ms after it.
        var ms = outputRate / 1000;
        Assert.True(Level(output, 0, 299 * ms) < 50, "sound before the tone");
        Assert.True(Level(output, 301 * ms, 499 * ms) > 5_000, "the tone is missing or moved");
        Assert.True(Level(output, 501 * ms, output.Length) < 50, "sound after the tone");
    }

    [Fact]
    public void Equal_rates_copy_the_recording()
    {
        short[] input = [1, -2, 3, -4, 5];

        Assert.Equal(input, Resampler.ConvertWhole(input, 16_000, 16_000));
    }

    private static double Level(short[] samples, int from, int to) =>
        Math.Sqrt(samples.AsSpan(from, to - from).ToArray().Average(s => (double)s * s));
}
