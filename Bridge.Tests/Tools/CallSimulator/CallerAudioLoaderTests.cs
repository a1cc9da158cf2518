using Bridge.CallSimulator.Audio;
using Bridge.TwilioStandIn.Media;
using Bridge.Tests.Tools.TwilioStandIn;

namespace Bridge.Tests.Tools.CallSimulator;

/// <summary>WAV input becomes the 8 kHz µ-law a caller sends, through the bridge's own audio code.</summary>
public sealed class CallerAudioLoaderTests
{
    [Fact]
    public void The_committed_utterances_are_short_mulaw_8khz_speech()
    {
        foreach (var name in new[] { "hello.wav", "question.wav", "interrupt.wav", "goodbye.wav" })
        {
            var wav = WavFile.Read(CallSimulationTests.Utterance(name));
            Assert.Equal(WavEncoding.MuLaw, wav.Encoding);
            Assert.Equal(8000, wav.SampleRate);
            Assert.Equal(1, wav.Channels);
            Assert.InRange(wav.Duration.TotalSeconds, 1, 8);
            Assert.Contains(wav.Data, b => b < 0x60 || (b is >= 0x80 and < 0xE0)); // loud codes: there is speech
        }
    }

    [Fact]
    public void The_end_of_speech_is_found_before_the_trailing_silence()
    {
        var wav = WavFile.Read(CallSimulationTests.Utterance("hello.wav"));

        var audio = Bridge.TwilioStandIn.Media.CallerAudio.FromMuLaw(wav.Data);

        // The utterances end with 0.7 s of padding after the synthesised speech (see their README), and the
        // synthesiser leaves a few hundred ms of its own quiet tail.
        Assert.InRange((wav.Duration - audio.SpeechEnd).TotalSeconds, 0.7, 1.3);
        Assert.True(audio.SpeechEnd > TimeSpan.FromSeconds(2.5), $"speech ends at {audio.SpeechEnd}");
    }

    [Fact]
    public void Mulaw_at_8_khz_passes_through_untouched()
    {
        var wav = WavFile.Read(CallSimulationTests.Utterance("goodbye.wav"));

        var loaded = CallerAudioLoader.Load(wav);

        Assert.Same(wav.Data, loaded.MuLaw);
        Assert.Null(loaded.Warning);
    }

    [Fact]
    public void Pcm_at_16_khz_is_resampled_without_shifting_the_speech()
    {
        // The same words at 16 kHz PCM and at 8 kHz µ-law (both made from one synthesis, see the utterances README).
        var reference = WavFile.Read(CallSimulationTests.Utterance("goodbye.wav")).Data;
        var pcm16k = WavFile.Read(CallSimulationTests.Utterance("goodbye-pcm16-16k.wav"));

        var loaded = CallerAudioLoader.Load(pcm16k);

        Assert.Null(loaded.Warning);
        Assert.InRange(loaded.MuLaw.Length, reference.Length - 2, reference.Length + 2);
        Assert.Equal(0, BestLag(Decode(reference), Decode(loaded.MuLaw), maxLag: 40));
    }

    [Fact]
    public void Pcm_at_another_rate_is_converted_simply_and_says_so()
    {
        var tone = Enumerable.Range(0, 44100).Select(i => (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 44100))).ToArray();
        var path = Path.GetTempFileName();
        try
        {
            WavFile.WritePcm16(path, 44100, tone);

            var loaded = CallerAudioLoader.Load(WavFile.Read(path));

            Assert.Equal(8000, loaded.MuLaw.Length);
            Assert.Contains("44100 Hz", loaded.Warning, StringComparison.Ordinal);
            var pcm = Decode(loaded.MuLaw);
            var expected = Enumerable.Range(0, 8000).Select(i => 8000 * Math.Sin(2 * Math.PI * 440 * i / 8000.0)).ToArray();
            Assert.True(Correlation(pcm[100..7900], expected[100..7900]) > 0.99);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void What_was_heard_is_written_as_a_mulaw_wav_that_reads_back_the_same()
    {
        var heard = Enumerable.Range(0, 801).Select(i => (byte)i).ToArray(); // odd length: the data chunk is padded
        var path = Path.GetTempFileName();
        try
        {
            WavFile.WriteMuLaw(path, heard);

            var wav = WavFile.Read(path);

            Assert.Equal(new WavAudio(WavEncoding.MuLaw, 8000, 1, heard).Data, wav.Data);
            Assert.Equal((WavEncoding.MuLaw, 8000, 1), (wav.Encoding, wav.SampleRate, wav.Channels));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_format_the_simulator_cannot_read_is_refused_with_what_to_do()
    {
        var wav = new byte[44];
        "RIFF"u8.CopyTo(wav);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        wav[16] = 16;
        wav[20] = 3; // IEEE float
        wav[22] = 1;
        wav[24] = 0x40;
        wav[25] = 0x1F;
        wav[34] = 32;
        "data"u8.CopyTo(wav.AsSpan(36));

        var error = Assert.Throws<InvalidDataException>(() => WavFile.Read(wav));

        Assert.Contains("format 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("sox", error.Message, StringComparison.Ordinal);
    }

    private static double[] Decode(byte[] mulaw)
    {
        var pcm = new short[mulaw.Length];
        Bridge.Audio.MuLaw.Decode(mulaw, pcm);
        return pcm.Select(s => (double)s).ToArray();
    }

    private static int BestLag(double[] a, double[] b, int maxLag) =>
        Enumerable.Range(-maxLag, 2 * maxLag + 1)
            .MaxBy(lag => Correlation(
                a.Skip(Math.Max(0, lag)).Take(a.Length - maxLag * 2).ToArray(),
                b.Skip(Math.Max(0, -lag)).Take(a.Length - maxLag * 2).ToArray()));

    private static double Correlation(double[] a, double[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < n; i++)
        {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.Sqrt(aa * bb);
    }
}
