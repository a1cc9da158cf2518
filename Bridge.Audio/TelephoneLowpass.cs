namespace Bridge.Audio;

/// <summary>
/// The anti-aliasing / anti-imaging filter every resampler runs: linear-phase FIR, Kaiser window, passband to
/// 3.4 kHz, stopband from 4.6 kHz. Telephone audio carries nothing above 4 kHz, so the same band holds for
/// every rate pair, including 16↔24 kHz (the caller's audio only ever started at 8 kHz).
/// </summary>
/// <remarks>
/// The tap counts are the smallest that give ≥ 74 dB from 4.6 kHz and ±0.2 dB over 0–3.4 kHz with a cutoff of
/// 3.9 kHz and β = 7.3 (found by sweeping taps, cutoff and β). The delay, (taps − 1) / 2 samples, is ≈ 1.67 ms
/// at every rate — inside the 2 ms budget.
/// </remarks>
internal static class TelephoneLowpass
{
    public const double CutoffHz = 3900;
    public const double KaiserBeta = 7.3;

    /// <summary>Taps at the rate the filter runs at (the common multiple of input and output rates).</summary>
    public static int TapCount(int filterRate) => filterRate switch
    {
        16000 => 55,
        24000 => 81,
        48000 => 161,
        _ => throw new ArgumentOutOfRangeException(nameof(filterRate), filterRate, "No telephone lowpass is designed for this rate."),
    };

    /// <summary>The taps, scaled so the DC gain is <paramref name="gain"/>.</summary>
    public static double[] Design(int filterRate, double gain)
    {
        int count = TapCount(filterRate);
        var taps = new double[count];
        double middle = (count - 1) / 2.0;
        double normalizedCutoff = 2 * CutoffHz / filterRate;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            double t = i - middle;
            double sinc = t == 0 ? normalizedCutoff : Math.Sin(Math.PI * normalizedCutoff * t) / (Math.PI * t);
            double r = t / middle;
            taps[i] = sinc * BesselI0(KaiserBeta * Math.Sqrt(1 - r * r)) / BesselI0(KaiserBeta);
            sum += taps[i];
        }
        for (int i = 0; i < count; i++)
        {
            taps[i] *= gain / sum;
        }
        return taps;
    }

    /// <summary>
    /// Splits <paramref name="taps"/> into <paramref name="phases"/> sub-filters for resampling by that factor:
    /// sub-filter p holds taps p, p + phases, …, stored oldest first (the order the input arrives in), each
    /// <paramref name="phaseLength"/> long with zeros in front where the filter runs out.
    /// </summary>
    public static float[] SplitIntoPhases(double[] taps, int phases, int phaseLength)
    {
        var split = new float[phases * phaseLength];
        for (int phase = 0; phase < phases; phase++)
        {
            for (int i = 0; i < phaseLength; i++)
            {
                int tap = phase + phases * (phaseLength - 1 - i);
                split[phase * phaseLength + i] = tap < taps.Length ? (float)taps[tap] : 0f;
            }
        }
        return split;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, half = x / 2;
        for (int k = 1; k < 60; k++)
        {
            term *= half / k * (half / k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }
        return sum;
    }
}
