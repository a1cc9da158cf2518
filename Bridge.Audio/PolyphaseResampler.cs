using System.Numerics;
using System.Runtime.InteropServices;

namespace Bridge.Audio;

/// <summary>
/// Rational resampling by L/M through one lowpass at L × the input rate, in polyphase form: output m is the
/// dot product of sub-filter (m·M mod L) with the input samples up to ⌊m·M / L⌋, so no zero is ever multiplied
/// and no discarded sample ever computed.
/// </summary>
/// <remarks>
/// Every output sample is computed from the same taps, the same input values in the same buffer layout and
/// the same summation order whatever the chunking, which is what makes chunked output bit-identical.
/// </remarks>
internal sealed class PolyphaseResampler : Resampler
{
    // Input is converted to float in blocks of this many samples, after the history the filter still needs.
    private const int BlockLength = 480;

    private readonly int _up;
    private readonly int _down;
    private readonly int _stepWhole;
    private readonly int _stepFraction;
    private readonly int _vectorsPerPhase;
    private readonly int _historyLength;
    private readonly Vector<float>[] _phases;
    private readonly float[] _buffer;
    private readonly float[] _sums;
    private readonly TimeSpan _delay;

    // (m·M) − L·(index of the first sample of the next block), for the next output m; always in [0, M).
    private int _position;

    public PolyphaseResampler(int inputRate, int outputRate) : base(inputRate, outputRate)
    {
        int common = (int)BigInteger.GreatestCommonDivisor(inputRate, outputRate);
        _up = outputRate / common;
        _down = inputRate / common;
        _stepWhole = _down / _up;
        _stepFraction = _down % _up;
        int filterRate = inputRate * _up;

        var taps = TelephoneLowpass.Design(filterRate, gain: _up);
        _delay = TimeSpan.FromSeconds((taps.Length - 1) / 2.0 / filterRate);

        // Each sub-filter is padded with leading zeros to whole vectors and stored oldest tap first, so that it
        // lines up with the input in the order the samples arrived.
        int width = Vector<float>.Count;
        int tapsPerPhase = (taps.Length + _up - 1) / _up;
        _vectorsPerPhase = (tapsPerPhase + width - 1) / width;
        int phaseLength = _vectorsPerPhase * width;
        var phases = new float[_up * phaseLength];
        for (int phase = 0; phase < _up; phase++)
        {
            for (int i = 0; i < phaseLength; i++)
            {
                int tap = phase + _up * (phaseLength - 1 - i);
                phases[phase * phaseLength + i] = tap < taps.Length ? (float)taps[tap] : 0f;
            }
        }
        _phases = MemoryMarshal.Cast<float, Vector<float>>(phases).ToArray();

        _historyLength = phaseLength - 1;
        _buffer = new float[_historyLength + BlockLength];
        _sums = new float[(_up * BlockLength + _down - 1) / _down];
    }

    public override bool IsPassThrough => false;

    public override TimeSpan Delay => _delay;

    public override int GetOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        long reach = (long)_up * inputLength - _position;
        return reach <= 0 ? 0 : (int)((reach + _down - 1) / _down);
    }

    public override int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int expected = GetOutputLength(input.Length);
        if (output.Length < expected)
        {
            throw new ArgumentException($"The output holds {output.Length} samples; this input completes {expected}.", nameof(output));
        }

        int written = 0;
        var buffer = _buffer.AsSpan();
        var sums = _sums.AsSpan();
        int phaseLength = _vectorsPerPhase * Vector<float>.Count;
        while (!input.IsEmpty)
        {
            int count = Math.Min(BlockLength, input.Length);
            ToFloat(input[..count], buffer.Slice(_historyLength, count));

            // The newest input sample (relative to the block) and the sub-filter of the next output.
            int newest = _position / _up;
            int phase = _position - newest * _up;
            int produced = 0;
            while (newest < count)
            {
                var taps = _phases.AsSpan(phase * _vectorsPerPhase, _vectorsPerPhase);
                var samples = MemoryMarshal.Cast<float, Vector<float>>(buffer.Slice(newest, phaseLength));
                sums[produced++] = Dot(taps, samples);

                newest += _stepWhole;
                phase += _stepFraction;
                if (phase >= _up)
                {
                    phase -= _up;
                    newest++;
                }
            }
            _position = (newest - count) * _up + phase;

            ToSamples(sums[..produced], output.Slice(written, produced));
            written += produced;

            buffer.Slice(count, _historyLength).CopyTo(buffer);
            input = input[count..];
        }
        return written;
    }

    public override void Reset()
    {
        _position = 0;
        Array.Clear(_buffer);
    }

    private static float Dot(ReadOnlySpan<Vector<float>> taps, ReadOnlySpan<Vector<float>> samples)
    {
        samples = samples[..taps.Length];
        // Four independent sums so the additions do not wait on each other; the order is fixed, so is the result.
        Vector<float> a = Vector<float>.Zero, b = a, c = a, d = a;
        int i = 0;
        for (; i + 4 <= taps.Length; i += 4)
        {
            a = Vector.FusedMultiplyAdd(taps[i], samples[i], a);
            b = Vector.FusedMultiplyAdd(taps[i + 1], samples[i + 1], b);
            c = Vector.FusedMultiplyAdd(taps[i + 2], samples[i + 2], c);
            d = Vector.FusedMultiplyAdd(taps[i + 3], samples[i + 3], d);
        }
        for (; i < taps.Length; i++)
        {
            a = Vector.FusedMultiplyAdd(taps[i], samples[i], a);
        }
        return Vector.Sum((a + b) + (c + d));
    }

    private static void ToFloat(ReadOnlySpan<short> samples, Span<float> values)
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

    // Round half to even, then saturate: the vector and scalar paths agree on every value.
    private static void ToSamples(ReadOnlySpan<float> values, Span<short> samples)
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
