using System.Numerics;

namespace Bridge.Audio;

/// <summary>
/// G.711 µ-law, bit-exact with the ITU-T G.191 reference (<c>ulaw_compress</c>/<c>ulaw_expand</c>):
/// the 16-bit sample is cut to 14 bits first, negative values by one's complement, which is where
/// simpler encoders differ from the reference on some negative inputs.
/// </summary>
public static class MuLaw
{
    /// <summary>The code of silence (linear 0).</summary>
    public const byte Silence = 0xFF;

    private const int Bias = 33;
    private const int MaxMagnitude = 0x1FFF;

    private static readonly short[] DecodeTable = BuildDecodeTable();

    public static byte Encode(short sample)
    {
        int x = sample;
        // x ^ (x >> 31) is ~x for negative x: G.191 takes the one's complement, not the negation.
        int magnitude = Math.Min(((x ^ (x >> 31)) >> 2) + Bias, MaxMagnitude);
        int segment = BitOperations.Log2((uint)magnitude) - 4; // 1..8; magnitude >= 33 so Log2 >= 5
        int mantissa = 0x0F - ((magnitude >> segment) & 0x0F);
        int code = ((8 - segment) << 4) | mantissa;
        return (byte)(x >= 0 ? code | 0x80 : code);
    }

    public static short Decode(byte code) => DecodeTable[code];

    /// <summary>Encodes every sample of <paramref name="pcm"/> into <paramref name="ulaw"/>, which must be at least as long.</summary>
    public static void Encode(ReadOnlySpan<short> pcm, Span<byte> ulaw)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ulaw.Length, pcm.Length, nameof(ulaw));
        ulaw = ulaw[..pcm.Length];
        int width = Vector<short>.Count;
        int i = 0;
        for (; i + 2 * width <= pcm.Length; i += 2 * width)
        {
            var low = EncodeVector(new Vector<short>(pcm[i..]));
            var high = EncodeVector(new Vector<short>(pcm[(i + width)..]));
            Vector.Narrow(low, high).CopyTo(ulaw[i..]);
        }
        for (; i < pcm.Length; i++)
        {
            ulaw[i] = Encode(pcm[i]);
        }
    }

    /// <summary>Decodes every code of <paramref name="ulaw"/> into <paramref name="pcm"/>, which must be at least as long.</summary>
    public static void Decode(ReadOnlySpan<byte> ulaw, Span<short> pcm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pcm.Length, ulaw.Length, nameof(pcm));
        pcm = pcm[..ulaw.Length];
        ReadOnlySpan<short> table = DecodeTable;
        for (int i = 0; i < ulaw.Length; i++)
        {
            pcm[i] = table[ulaw[i]];
        }
    }

    /// <summary>
    /// <see cref="Encode(short)"/> on every lane. Lanes cannot shift by different amounts, so the segment is found
    /// by comparing against each segment's start, shifting once more for every start passed.
    /// </summary>
    private static Vector<ushort> EncodeVector(Vector<short> x)
    {
        var sign = Vector.ShiftRightArithmetic(x, 15);
        var magnitude = Vector.Min(Vector.ShiftRightArithmetic(x ^ sign, 2) + new Vector<short>(Bias), new Vector<short>(MaxMagnitude));
        var shifted = Vector.ShiftRightArithmetic(magnitude, 1);
        var high = new Vector<short>(7);
        for (short start = 64; start <= 4096; start *= 2)
        {
            var passed = Vector.GreaterThanOrEqual(magnitude, new Vector<short>(start));
            shifted = Vector.ConditionalSelect(passed, Vector.ShiftRightArithmetic(shifted, 1), shifted);
            high += passed; // passed is -1 in every lane that starts a later segment
        }
        var code = Vector.ShiftLeft(high, 4) | (~shifted & new Vector<short>(0x0F)) | Vector.AndNot(new Vector<short>(0x80), sign);
        return Vector.AsVectorUInt16(code);
    }

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            int inverted = ~code;
            int exponent = (inverted >> 4) & 0x07;
            int mantissa = inverted & 0x0F;
            int step = 4 << (exponent + 1);
            int magnitude = (0x80 << exponent) + step * mantissa + step / 2 - 4 * Bias;
            table[code] = (short)(code < 0x80 ? -magnitude : magnitude);
        }
        return table;
    }
}
