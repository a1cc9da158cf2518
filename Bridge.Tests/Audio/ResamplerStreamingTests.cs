using Bridge.Audio;
using Bridge.Tests.Support;

namespace Bridge.Tests.Audio;

public sealed class ResamplerStreamingTests
{
    public static TheoryData<int, int> RatePairs => ResamplerQualityTests.RatePairs;

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Random_chunks_give_bit_for_bit_the_output_of_one_call(int inputRate, int outputRate)
    {
        var signal = TestSignal(inputRate, seconds: 1, seed: inputRate + outputRate);
        var whole = ProcessAtOnce(Resampler.Create(inputRate, outputRate), signal);

        for (int seed = 1; seed <= 5; seed++)
        {
            var random = new Random(seed);
            var resampler = Resampler.Create(inputRate, outputRate);
            var chunked = new List<short>();
            int offset = 0;
            while (offset < signal.Length)
            {
                // Sizes from empty to longer than the resampler's internal block, odd ones included.
                int size = Math.Min(random.Next(0, 1200), signal.Length - offset);
                var output = new short[resampler.GetOutputLength(size)];
                Assert.Equal(output.Length, resampler.Process(signal.AsSpan(offset, size), output));
                chunked.AddRange(output);
                offset += size;
            }
            Assert.Equal(whole, chunked.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Twenty_ms_frames_give_the_output_of_one_call(int inputRate, int outputRate)
    {
        var signal = TestSignal(inputRate, seconds: 1, seed: 7);
        var whole = ProcessAtOnce(Resampler.Create(inputRate, outputRate), signal);

        var resampler = Resampler.Create(inputRate, outputRate);
        int frame = inputRate / 50;
        var chunked = new List<short>();
        var output = new short[resampler.GetMaxOutputLength(frame)];
        for (int offset = 0; offset < signal.Length; offset += frame)
        {
            int count = resampler.Process(signal.AsSpan(offset, frame), output);
            Assert.Equal(outputRate / 50, count);
            chunked.AddRange(output.AsSpan(0, count).ToArray());
        }
        Assert.Equal(whole, chunked.ToArray());
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void After_reset_the_output_is_that_of_a_new_resampler(int inputRate, int outputRate)
    {
        var before = TestSignal(inputRate, seconds: 0.3, seed: 1);
        var after = TestSignal(inputRate, seconds: 0.3, seed: 2);
        var used = Resampler.Create(inputRate, outputRate);
        ProcessAtOnce(used, before[..1001]);

        used.Reset();

        Assert.Equal(ProcessAtOnce(Resampler.Create(inputRate, outputRate), after), ProcessAtOnce(used, after));
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Output_length_follows_the_rate_ratio_over_a_whole_signal(int inputRate, int outputRate)
    {
        var resampler = Resampler.Create(inputRate, outputRate);
        var output = new short[outputRate];

        Assert.Equal(outputRate, resampler.Process(new short[inputRate], output));
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Processing_frames_allocates_nothing(int inputRate, int outputRate)
    {
        var resampler = Resampler.Create(inputRate, outputRate);
        var input = TestSignal(inputRate, seconds: 0.02, seed: 3);
        var output = new short[resampler.GetMaxOutputLength(input.Length)];
        resampler.Process(input, output);

        Assert.Equal(0, Allocations.FewestPerRound(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                resampler.Process(input, output);
            }
        }));
    }

    [Fact]
    public void An_output_too_short_for_what_the_input_completes_is_refused()
    {
        var resampler = Resampler.Create(8000, 16000);

        Assert.Throws<ArgumentException>(() => resampler.Process(new short[160], new short[319]));
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(24000)]
    public void Equal_rates_pass_the_samples_through_unchanged(int rate)
    {
        var resampler = Resampler.Create(rate, rate);
        var signal = TestSignal(rate, seconds: 0.02, seed: 4);
        var output = new short[signal.Length];

        Assert.True(resampler.IsPassThrough);
        Assert.Equal(TimeSpan.Zero, resampler.Delay);
        Assert.Equal(signal.Length, resampler.Process(signal, output));
        Assert.Equal(signal, output);
    }

    [Theory]
    [InlineData(11025, 8000)]
    [InlineData(8000, 48000)]
    public void Rates_other_than_8_16_and_24_kHz_are_refused(int inputRate, int outputRate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Create(inputRate, outputRate));
    }

    /// <summary>Noise plus a loud tone: every tap and every bit of the output matters.</summary>
    internal static short[] TestSignal(int rate, double seconds, int seed)
    {
        var random = new Random(seed);
        var samples = new short[(int)(rate * seconds)];
        for (int k = 0; k < samples.Length; k++)
        {
            double value = 20000 * Math.Sin(2 * Math.PI * 1234.5 * k / rate) + random.Next(-12000, 12000);
            samples[k] = (short)Math.Clamp(value, short.MinValue, short.MaxValue);
        }
        return samples;
    }

    private static short[] ProcessAtOnce(Resampler resampler, short[] signal)
    {
        var output = new short[resampler.GetOutputLength(signal.Length)];
        Assert.Equal(output.Length, resampler.Process(signal, output));
        return output;
    }
}
