using Bridge.Audio;

namespace Bridge.Tests.Audio;

/// <summary>The quality bars, measured on test tones through each resampler.</summary>
public sealed class ResamplerQualityTests
{
    private const double PassbandToleranceDb = 0.5;
    private const double RequiredRejectionDb = 70;
    private const double MaxGroupDelayMs = 2;
    private const double ToneAmplitude = 32000; // −0.2 dBFS: leaves room for passband ripple without clipping

    public static TheoryData<int, int> RatePairs => new()
    {
        { 8000, 16000 }, { 16000, 8000 }, { 24000, 8000 },
        { 8000, 24000 }, { 16000, 24000 }, { 24000, 16000 },
    };

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Passband_from_300_to_3400_Hz_is_flat_within_half_a_decibel(int inputRate, int outputRate)
    {
        var failures = new List<string>();
        foreach (var frequency in PassbandTones())
        {
            var fit = MeasureTone(inputRate, outputRate, frequency);
            double gainDb = 20 * Math.Log10(fit.Amplitude / ToneAmplitude);
            if (Math.Abs(gainDb) > PassbandToleranceDb)
            {
                failures.Add($"{frequency} Hz: {gainDb:F3} dB");
            }
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Passband_tones_come_out_with_images_and_distortion_at_least_70_dB_down(int inputRate, int outputRate)
    {
        // Whatever is left after the tone itself is removed: images (up-sampling), aliases, rounding.
        var failures = new List<string>();
        foreach (var frequency in PassbandTones())
        {
            var fit = MeasureTone(inputRate, outputRate, frequency);
            double residualDb = ToneFit.DecibelsBelowFullScaleSine(fit.ResidualRms);
            if (residualDb > -RequiredRejectionDb)
            {
                failures.Add($"{frequency} Hz: residue at {residualDb:F1} dBFS");
            }
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Full_scale_tones_from_4600_Hz_to_the_input_Nyquist_come_out_at_least_70_dB_down(int inputRate, int outputRate)
    {
        var failures = new List<string>();
        int tested = 0;
        foreach (var frequency in StopbandTones(inputRate))
        {
            var output = ResampleTone(inputRate, outputRate, frequency, ToneFit.FullScale);
            double levelDb = ToneFit.DecibelsBelowFullScaleSine(ToneFit.Rms(output));
            if (levelDb > -RequiredRejectionDb)
            {
                failures.Add($"{frequency} Hz: {levelDb:F1} dBFS");
            }
            tested++;
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
        Assert.Equal(inputRate == 8000 ? 0 : (inputRate / 2 - 4600) / 100 + 1, tested);
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Group_delay_measured_across_the_passband_is_at_most_2_ms(int inputRate, int outputRate)
    {
        var resampler = Resampler.Create(inputRate, outputRate);
        foreach (var frequency in new[] { 400.0, 1000, 2000, 3000 })
        {
            const double step = 100;
            double low = PhaseShift(inputRate, outputRate, frequency);
            double high = PhaseShift(inputRate, outputRate, frequency + step);
            double difference = Math.IEEERemainder(high - low, 2 * Math.PI);
            double delayMs = -difference / (2 * Math.PI * step) * 1000;

            Assert.InRange(delayMs, 0.1, MaxGroupDelayMs);
            // The delay the resampler reports is the one it has.
            Assert.Equal(resampler.Delay.TotalMilliseconds, delayMs, 0.02);
        }
    }

    private static IEnumerable<double> PassbandTones()
    {
        for (int frequency = 300; frequency <= 3400; frequency += 100)
        {
            yield return frequency;
        }
    }

    private static IEnumerable<double> StopbandTones(int inputRate)
    {
        for (int frequency = 4600; frequency < inputRate / 2; frequency += 100)
        {
            yield return frequency;
        }
        if (inputRate / 2 >= 4600)
        {
            yield return inputRate / 2 - 10; // a sine exactly at Nyquist would be all zeros
        }
    }

    /// <summary>Output phase minus input phase of a tone, in radians.</summary>
    private static double PhaseShift(int inputRate, int outputRate, double frequency)
    {
        var input = ToneFit.Sine(inputRate, frequency, ToneAmplitude, inputRate / 4);
        var outputFit = MeasureTone(inputRate, outputRate, frequency);
        var inputFit = ToneFit.Measure(input, 0, inputRate, frequency);
        return outputFit.Phase - inputFit.Phase;
    }

    private static ToneFit MeasureTone(int inputRate, int outputRate, double frequency) =>
        ToneFit.Measure(ResampleTone(inputRate, outputRate, frequency, ToneAmplitude), SettlingSamples(outputRate), outputRate, frequency);

    private static int SettlingSamples(int rate) => rate / 50;

    /// <summary>A quarter-second tone through a fresh resampler; the output after the first 20 ms (the filter's start).</summary>
    private static short[] ResampleTone(int inputRate, int outputRate, double frequency, double amplitude)
    {
        var input = ToneFit.Sine(inputRate, frequency, amplitude, inputRate / 4);
        var resampler = Resampler.Create(inputRate, outputRate);
        var output = new short[resampler.GetOutputLength(input.Length)];
        int count = resampler.Process(input, output);
        Assert.Equal(output.Length, count);

        return output[SettlingSamples(outputRate)..];
    }
}
