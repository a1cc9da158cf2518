using System.Numerics;

namespace Bridge.Audio;

/// <summary>
/// Rational resampling by L/M through one lowpass at L × the input rate, in polyphase form: output m is
/// sub-filter (m·M mod L) applied to the input up to sample ⌊m·M / L⌋, so no inserted zero is ever multiplied
/// and no discarded sample ever computed.
/// </summary>
/// <remarks>
/// <para>Speed: outputs m, m + L, m + 2L … use the same sub-filter on windows M input samples apart. With the
/// input split into M interleaved streams those windows are consecutive, so a vector computes several outputs
/// at once, one multiply-add per tap, with no horizontal sums.</para>
/// <para>Exactness: every output is the same chain of fused multiply-adds, tap by tap from the oldest sample,
/// whether computed in a vector lane or in the scalar tail, in whichever block. So chunked input gives
/// bit-identical output.</para>
/// </remarks>
internal sealed class PolyphaseResampler : Resampler
{
    // Input is handled in blocks of this many samples, after the history the filter still needs.
    private const int BlockLength = 480;

    private readonly int _up;
    private readonly int _down;
    private readonly int _tapsPerPhase;
    private readonly float[] _phases;
    private readonly int[] _tapOffsets;
    private readonly int _streamLength;
    private readonly float[] _buffer;
    private readonly float[] _streams;
    private readonly float[] _sums;
    private readonly short[] _samples;
    private readonly TimeSpan _delay;

    // m·M − L·(index of the next block's first sample), for the next output m; always in [0, M).
    private int _position;

    public PolyphaseResampler(int inputRate, int outputRate) : base(inputRate, outputRate)
    {
        int common = (int)BigInteger.GreatestCommonDivisor(inputRate, outputRate);
        _up = outputRate / common;
        _down = inputRate / common;
        int filterRate = inputRate * _up;

        var taps = TelephoneLowpass.Design(filterRate, gain: _up);
        _delay = TimeSpan.FromSeconds((taps.Length - 1) / 2.0 / filterRate);
        _tapsPerPhase = (taps.Length + _up - 1) / _up;
        _phases = TelephoneLowpass.SplitIntoPhases(taps, _up, _tapsPerPhase);

        _buffer = new float[HistoryLength + BlockLength];
        _streamLength = (_buffer.Length + _down - 1) / _down;
        _streams = _down == 1 ? _buffer : new float[_down * _streamLength];
        _tapOffsets = TapOffsets(_down, _tapsPerPhase, _streamLength);

        int maxOutputs = (_up * BlockLength + _down - 1) / _down;
        _sums = new float[maxOutputs];
        _samples = new short[maxOutputs];
    }

    public override bool IsPassThrough => false;

    public override TimeSpan Delay => _delay;

    private int HistoryLength => _tapsPerPhase - 1;

    public override int GetOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return OutputsFrom(_position, inputLength);
    }

    public override int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int expected = GetOutputLength(input.Length);
        if (output.Length < expected)
        {
            throw new ArgumentException($"The output holds {output.Length} samples; this input completes {expected}.", nameof(output));
        }

        var buffer = _buffer.AsSpan();
        int history = HistoryLength;
        int written = 0;
        while (!input.IsEmpty)
        {
            int count = Math.Min(BlockLength, input.Length);
            SampleConversion.ToFloat(input[..count], buffer.Slice(history, count));
            Deinterleave(history + count);

            int produced = OutputsFrom(_position, count);
            // Output i of this block is in class i mod L; a class shares one sub-filter.
            for (int first = 0; first < Math.Min(_up, produced); first++)
            {
                int position = _position + first * _down;
                int newest = position / _up;
                int phase = position - newest * _up;
                int members = (produced - first + _up - 1) / _up;
                var sums = _sums.AsSpan(0, members);
                Filter(_phases.AsSpan(phase * _tapsPerPhase, _tapsPerPhase), _tapOffsets.AsSpan((newest % _down) * _tapsPerPhase, _tapsPerPhase),
                    _streams.AsSpan(newest / _down), sums);
                SampleConversion.ToSamples(sums, _samples.AsSpan(0, members));
                Scatter(_samples.AsSpan(0, members), output[(written + first)..]);
            }
            written += produced;
            _position += produced * _down - count * _up;

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

    private int OutputsFrom(int position, int inputLength)
    {
        long reach = (long)_up * inputLength - position;
        return reach <= 0 ? 0 : (int)((reach + _down - 1) / _down);
    }

    /// <summary>
    /// Where tap j reads, in the streams, for a window starting at buffer index s (offset by ⌊s / M⌋ at use):
    /// buffer[s + j] is stream (s + j) mod M at ⌊(s + j) / M⌋. One row per s mod M.
    /// </summary>
    private static int[] TapOffsets(int down, int taps, int streamLength)
    {
        var offsets = new int[down * taps];
        for (int remainder = 0; remainder < down; remainder++)
        {
            for (int j = 0; j < taps; j++)
            {
                int index = remainder + j;
                offsets[remainder * taps + j] = index % down * streamLength + index / down;
            }
        }
        return offsets;
    }

    /// <summary>Stream r holds buffer[r], buffer[r + M], … so windows M samples apart become neighbours.</summary>
    private void Deinterleave(int length)
    {
        if (_down == 1)
        {
            return;
        }
        var buffer = _buffer.AsSpan(0, length);
        for (int stream = 0; stream < _down; stream++)
        {
            var target = _streams.AsSpan(stream * _streamLength, _streamLength);
            for (int i = stream, k = 0; i < buffer.Length; i += _down, k++)
            {
                target[k] = buffer[i];
            }
        }
    }

    /// <summary>sums[k] = Σ taps[j] · streams[offsets[j] + k], j from 0 up, one fused multiply-add at a time.</summary>
    private static void Filter(ReadOnlySpan<float> taps, ReadOnlySpan<int> offsets, ReadOnlySpan<float> streams, Span<float> sums)
    {
        int width = Vector<float>.Count;
        int k = 0;
        // Four vectors of outputs at once: four independent chains keep the multiply-adders busy.
        for (; k + 4 * width <= sums.Length; k += 4 * width)
        {
            Vector<float> a = Vector<float>.Zero, b = a, c = a, d = a;
            for (int j = 0; j < taps.Length; j++)
            {
                var tap = new Vector<float>(taps[j]);
                var window = streams[(offsets[j] + k)..];
                a = Vector.FusedMultiplyAdd(tap, new Vector<float>(window), a);
                b = Vector.FusedMultiplyAdd(tap, new Vector<float>(window[width..]), b);
                c = Vector.FusedMultiplyAdd(tap, new Vector<float>(window[(2 * width)..]), c);
                d = Vector.FusedMultiplyAdd(tap, new Vector<float>(window[(3 * width)..]), d);
            }
            a.CopyTo(sums[k..]);
            b.CopyTo(sums[(k + width)..]);
            c.CopyTo(sums[(k + 2 * width)..]);
            d.CopyTo(sums[(k + 3 * width)..]);
        }
        for (; k + width <= sums.Length; k += width)
        {
            var a = Vector<float>.Zero;
            for (int j = 0; j < taps.Length; j++)
            {
                a = Vector.FusedMultiplyAdd(new Vector<float>(taps[j]), new Vector<float>(streams[(offsets[j] + k)..]), a);
            }
            a.CopyTo(sums[k..]);
        }
        for (; k < sums.Length; k++)
        {
            float sum = 0;
            for (int j = 0; j < taps.Length; j++)
            {
                sum = MathF.FusedMultiplyAdd(taps[j], streams[offsets[j] + k], sum);
            }
            sums[k] = sum;
        }
    }

    /// <summary>Class members go to every L-th output.</summary>
    private void Scatter(ReadOnlySpan<short> members, Span<short> output)
    {
        if (_up == 1)
        {
            members.CopyTo(output);
            return;
        }
        for (int k = 0; k < members.Length; k++)
        {
            output[k * _up] = members[k];
        }
    }
}
