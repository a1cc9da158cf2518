namespace Bridge.Tests.Audio;

/// <summary>
/// Measures a tone of known frequency in a signal by least squares (a Goertzel-like single-bin estimate that
/// does not need a whole number of cycles): its amplitude, its phase, and what is left when it is removed.
/// </summary>
internal readonly record struct ToneFit(double Amplitude, double Phase, double ResidualRms)
{
    public const double FullScale = 32767;

    /// <summary>Fits a·cos(ωt) + b·sin(ωt) + c over <paramref name="samples"/>, where sample k is at time (start + k) / rate.</summary>
    public static ToneFit Measure(ReadOnlySpan<short> samples, int start, int rate, double frequency)
    {
        // Normal equations of the three-column least-squares problem.
        double scc = 0, sss = 0, scs = 0, sc = 0, ss = 0, n = samples.Length;
        double ycos = 0, ysin = 0, y1 = 0;
        for (int k = 0; k < samples.Length; k++)
        {
            double w = 2 * Math.PI * frequency * (start + k) / rate;
            double c = Math.Cos(w), s = Math.Sin(w), y = samples[k];
            scc += c * c; sss += s * s; scs += c * s; sc += c; ss += s;
            ycos += y * c; ysin += y * s; y1 += y;
        }
        var (a, b, dc) = Solve3(
            [scc, scs, sc, scs, sss, ss, sc, ss, n],
            [ycos, ysin, y1]);

        double residual = 0;
        for (int k = 0; k < samples.Length; k++)
        {
            double w = 2 * Math.PI * frequency * (start + k) / rate;
            double e = samples[k] - (a * Math.Cos(w) + b * Math.Sin(w) + dc);
            residual += e * e;
        }
        // a·cos + b·sin = A·sin(ωt + φ) with A·cos φ = b, A·sin φ = a.
        return new ToneFit(Math.Sqrt(a * a + b * b), Math.Atan2(a, b), Math.Sqrt(residual / n));
    }

    public static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }
        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>A level in dB relative to a full-scale sine (RMS 32767/√2).</summary>
    public static double DecibelsBelowFullScaleSine(double rms) => 20 * Math.Log10(rms / (FullScale / Math.Sqrt(2)));

    public static short[] Sine(int rate, double frequency, double amplitude, int length)
    {
        var samples = new short[length];
        for (int k = 0; k < length; k++)
        {
            samples[k] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * k / rate));
        }
        return samples;
    }

    private static (double, double, double) Solve3(double[] m, double[] v)
    {
        double det(double[] x) =>
            x[0] * (x[4] * x[8] - x[5] * x[7]) - x[1] * (x[3] * x[8] - x[5] * x[6]) + x[2] * (x[3] * x[7] - x[4] * x[6]);
        double d = det(m);
        double[] Replace(int column) { var r = (double[])m.Clone(); r[column] = v[0]; r[column + 3] = v[1]; r[column + 6] = v[2]; return r; }
        return (det(Replace(0)) / d, det(Replace(1)) / d, det(Replace(2)) / d);
    }
}
