using System.Buffers.Text;
using System.Runtime.InteropServices;

namespace Bridge.Benchmarks.Audio;

/// <summary>Deterministic 20 ms inputs: speech-like (a few tones plus noise) at each rate, raw and as base64.</summary>
internal static class AudioFrames
{
    public static short[] Pcm(int rate, int frames = 1)
    {
        var random = new Random(rate);
        var samples = new short[rate / 50 * frames];
        for (int k = 0; k < samples.Length; k++)
        {
            double t = (double)k / rate;
            double value = 8000 * Math.Sin(2 * Math.PI * 220 * t) + 4000 * Math.Sin(2 * Math.PI * 1700 * t) + random.Next(-1500, 1500);
            samples[k] = (short)value;
        }
        return samples;
    }

    public static byte[] Ulaw(int frames = 1)
    {
        var pcm = Pcm(8000, frames);
        var ulaw = new byte[pcm.Length];
        Bridge.Audio.MuLaw.Encode(pcm, ulaw);
        return ulaw;
    }

    public static byte[] Base64Utf8(ReadOnlySpan<byte> bytes)
    {
        var utf8 = new byte[Base64.GetMaxEncodedToUtf8Length(bytes.Length)];
        Base64.EncodeToUtf8(bytes, utf8, out _, out int written);
        return utf8[..written];
    }

    public static byte[] Base64Utf8(ReadOnlySpan<short> pcm) => Base64Utf8(MemoryMarshal.AsBytes(pcm));
}
