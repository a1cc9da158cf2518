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
        for (int i = 0; i < pcm.Length; i++)
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
