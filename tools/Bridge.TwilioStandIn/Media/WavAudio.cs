namespace Bridge.TwilioStandIn.Media;

public enum WavEncoding
{
    Pcm16,
    MuLaw,
}

/// <summary>The samples of a WAV file as stored: interleaved channels, little-endian PCM16 or µ-law bytes.</summary>
public sealed record WavAudio(WavEncoding Encoding, int SampleRate, int Channels, byte[] Data)
{
    public int BytesPerFrame => Channels * (Encoding == WavEncoding.Pcm16 ? 2 : 1);

    public TimeSpan Duration => TimeSpan.FromSeconds((double)(Data.Length / BytesPerFrame) / SampleRate);
}
