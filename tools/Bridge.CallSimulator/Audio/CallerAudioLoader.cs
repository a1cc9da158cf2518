using System.Buffers.Binary;
using Bridge.Audio;

namespace Bridge.CallSimulator.Audio;

/// <summary>
/// Turns a WAV file into what a Twilio caller sends: 8 kHz mono µ-law. µ-law at 8 kHz passes through untouched;
/// PCM at 8, 16 or 24 kHz goes through the bridge's own code (<see cref="MuLaw"/>, <see cref="Resampler"/>), its
/// filter delay removed so speech keeps its timing. Other rates are not the bridge's: they are converted simply
/// here (box average, then linear interpolation), with a warning that says so. Channels are averaged to mono.
/// </summary>
public static class CallerAudioLoader
{
    public const int TelephoneRate = TelephoneFrame.SampleRate;

    public sealed record Loaded(byte[] MuLaw, string? Warning);

    public static Loaded Load(WavAudio wav)
    {
        if (wav is { Encoding: WavEncoding.MuLaw, SampleRate: TelephoneRate, Channels: 1 })
        {
            return new Loaded(wav.Data, null);
        }

        var mono = ToMonoPcm(wav);
        string? warning = null;
        short[] telephone;
        if (wav.SampleRate == TelephoneRate)
        {
            telephone = mono;
        }
        else if (Resampler.SupportedRates.Contains(wav.SampleRate))
        {
            telephone = Resampler.ConvertWhole(mono, wav.SampleRate, TelephoneRate);
        }
        else
        {
            telephone = ResampleSimply(mono, wav.SampleRate);
            warning = $"{wav.SampleRate} Hz is not a rate the bridge handles (8, 16 or 24 kHz): converted to 8 kHz with a simple " +
                      "average-and-interpolate filter, which may alias. For a faithful test, convert first: sox in.wav -r 8000 -e mu-law out.wav";
        }

        var mulaw = new byte[telephone.Length];
        MuLaw.Encode(telephone, mulaw);
        return new Loaded(mulaw, warning);
    }

    private static short[] ToMonoPcm(WavAudio wav)
    {
        var frames = wav.Data.Length / wav.BytesPerFrame;
        var mono = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            var sum = 0;
            for (var channel = 0; channel < wav.Channels; channel++)
            {
                var index = i * wav.Channels + channel;
                sum += wav.Encoding == WavEncoding.Pcm16
                    ? BinaryPrimitives.ReadInt16LittleEndian(wav.Data.AsSpan(index * 2))
                    : MuLaw.Decode(wav.Data[index]);
            }
            mono[i] = (short)(sum / wav.Channels);
        }
        return mono;
    }

    private static short[] ResampleSimply(short[] pcm, int rate)
    {
        // Average over one output period to take the worst of the aliasing out, then interpolate.
        var width = Math.Max(1, rate / TelephoneRate);
        var smoothed = new double[pcm.Length];
        double sum = 0;
        for (var i = 0; i < pcm.Length; i++)
        {
            sum += pcm[i];
            if (i >= width)
            {
                sum -= pcm[i - width];
            }
            smoothed[i] = sum / Math.Min(i + 1, width);
        }

        var length = (int)((long)pcm.Length * TelephoneRate / rate);
        var output = new short[length];
        var offset = (width - 1) / 2.0; // the box average lags by half its width
        for (var n = 0; n < length; n++)
        {
            var position = Math.Min(n * (double)rate / TelephoneRate + offset, pcm.Length - 1);
            var left = (int)position;
            var right = Math.Min(left + 1, pcm.Length - 1);
            var value = smoothed[left] + (smoothed[right] - smoothed[left]) * (position - left);
            output[n] = (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
        }
        return output;
    }
}
