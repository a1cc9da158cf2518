using System.Numerics;

namespace Bridge.Audio;

/// <summary>16-bit samples to float and back, a vector at a time, with a scalar tail that gives the same values.</summary>
internal static class SampleConversion
{
    public static void ToFloat(ReadOnlySpan<short> samples, Span<float> values)
    {
        int width = Vector<short>.Count, half = Vector<int>.Count;
        int i = 0;
        for (; i + width <= samples.Length; i += width)
        {
            Vector.Widen(new Vector<short>(samples[i..]), out var low, out var high);
            Vector.ConvertToSingle(low).CopyTo(values[i..]);
            Vector.ConvertToSingle(high).CopyTo(values[(i + half)..]);
        }
        for (; i < samples.Length; i++)
        {
            values[i] = samples[i];
        }
    }

    /// <summary>Rounds half to even and saturates, in the vector body and the scalar tail alike.</summary>
    public static void ToSamples(ReadOnlySpan<float> values, Span<short> samples)
    {
        int width = Vector<short>.Count, half = Vector<int>.Count;
        var min = new Vector<float>(short.MinValue);
        var max = new Vector<float>(short.MaxValue);
        int i = 0;
        for (; i + width <= values.Length; i += width)
        {
            var low = Vector.ConvertToInt32(Vector.Clamp(Vector.Round(new Vector<float>(values[i..])), min, max));
            var high = Vector.ConvertToInt32(Vector.Clamp(Vector.Round(new Vector<float>(values[(i + half)..])), min, max));
            Vector.Narrow(low, high).CopyTo(samples[i..]);
        }
        for (; i < values.Length; i++)
        {
            samples[i] = (short)Math.Clamp(MathF.Round(values[i]), short.MinValue, short.MaxValue);
        }
    }
}
