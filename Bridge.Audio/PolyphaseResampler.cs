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
    private readonly int _phaseLength;
    private readonly float[] _phases;
    private readonly float[] _buffer;
    private readonly TimeSpan _delay;

    // (m·M) − L·(index of the first sample of the next block), for the next output m; always in [0, M·L).
    private int _position;

    public PolyphaseResampler(int inputRate, int outputRate) : base(inputRate, outputRate)
    {
        int common = (int)BigInteger.GreatestCommonDivisor(inputRate, outputRate);
        _up = outputRate / common;
        _down = inputRate / common;
        int filterRate = inputRate * _up;

        var taps = TelephoneLowpass.Design(filterRate, gain: _up);
        _delay = TimeSpan.FromSeconds((taps.Length - 1) / 2.0 / filterRate);

        // Each sub-filter is padded with leading zeros to whole vectors, stored oldest-tap-first.
        int vector = Vector<float>.Count;
        int perPhase = (taps.Length + _up - 1) / _up;
        _phaseLength = (perPhase + vector - 1) / vector * vector;
        _phases = new float[_up * _phaseLength];
        for (int phase = 0; phase < _up; phase++)
        {
            for (int i = 0; i < _phaseLength; i++)
            {
                int tap = phase + _up * (_phaseLength - 1 - i);
                _phases[phase * _phaseLength + i] = tap < taps.Length ? (float)taps[tap] : 0f;
            }
        }

        _buffer = new float[HistoryLength + BlockLength];
    }

    public override bool IsPassThrough => false;

    public override TimeSpan Delay => _delay;

    private int HistoryLength => _phaseLength - 1;

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
        int history = HistoryLength;
        while (!input.IsEmpty)
        {
            int count = Math.Min(BlockLength, input.Length);
            var block = buffer.Slice(history, count);
            for (int i = 0; i < count; i++)
            {
                block[i] = input[i];
            }

            int position = _position;
            int limit = _up * count;
            while (position < limit)
            {
                int newest = position / _up;
                int phase = position - newest * _up;
                float sum = Dot(_phases.AsSpan(phase * _phaseLength, _phaseLength), buffer.Slice(newest, _phaseLength));
                output[written++] = ToSample(sum);
                position += _down;
            }
            _position = position - limit;

            buffer.Slice(count, history).CopyTo(buffer);
            input = input[count..];
        }
        return written;
    }

    public override void Reset()
    {
        _position = 0;
        Array.Clear(_buffer);
    }

    private static float Dot(ReadOnlySpan<float> taps, ReadOnlySpan<float> samples)
    {
        var t = MemoryMarshal.Cast<float, Vector<float>>(taps);
        var s = MemoryMarshal.Cast<float, Vector<float>>(samples);
        var sum = Vector<float>.Zero;
        for (int i = 0; i < t.Length; i++)
        {
            sum += t[i] * s[i];
        }
        return Vector.Sum(sum);
    }

    private static short ToSample(float value)
    {
        float rounded = MathF.Round(value);
        return rounded >= short.MaxValue ? short.MaxValue : rounded <= short.MinValue ? short.MinValue : (short)rounded;
    }
}
