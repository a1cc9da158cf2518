using Bridge.Audio;

namespace Bridge.Tests.Audio;

public sealed class VoiceActivityDetectorTests
{
    private const int Rate = 8000;
    private const int ChunkSamples = Rate * 40 / 1000;

    // The worker's thresholds: an onset after 200 ms of speech, an utterance ended by 300 ms of quiet.
    private static readonly VoiceActivitySettings Settings = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300));

    private readonly VoiceActivityDetector _detector = new(Rate, Settings);

    /// <summary>Feeds 40 ms chunks of a tone (<paramref name="amplitude"/> 0 is silence); returns the chunk indexes where <paramref name="wanted"/> was reported.</summary>
    private List<int> Feed(int chunks, short amplitude, int firstIndex = 0, VoiceActivity wanted = VoiceActivity.Onset)
    {
        var seen = new List<int>();
        var chunk = Tone(ChunkSamples, amplitude);
        for (var n = 0; n < chunks; n++)
        {
            if (_detector.Observe(chunk).HasFlag(wanted))
            {
                seen.Add(firstIndex + n);
            }
        }
        return seen;
    }

    [Fact]
    public void Speech_is_an_onset_once_it_has_lasted_the_minimum_and_only_once_per_utterance()
    {
        var onsets = Feed(25, 4000);

        // 200 ms is five 40 ms chunks: reported at the fifth (index 4).
        Assert.Equal([4], onsets);
        Assert.True(_detector.InUtterance);
        Assert.Equal(Rate, _detector.UtteranceSpeechSamples);
    }

    [Fact]
    public void A_short_noise_is_no_onset_and_ends_as_noise()
    {
        Assert.Empty(Feed(3, 4000));
        var ends = Feed(10, 0, 3, VoiceActivity.NoiseEnded);
        Assert.Empty(Feed(3, 4000));

        // 300 ms of quiet after the noise is the eighth quiet chunk (index 3 + 7).
        Assert.Equal([10], ends);
    }

    [Fact]
    public void Quiet_audio_is_not_speech()
    {
        Assert.Empty(Feed(50, 300, wanted: VoiceActivity.Speech));
        Assert.False(_detector.HasHeardSpeech);
    }

    [Fact]
    public void A_breath_inside_an_utterance_neither_resets_it_nor_starts_another_but_a_pause_does()
    {
        var onsets = Feed(3, 4000, 0);
        onsets.AddRange(Feed(2, 0, 3));          // 80 ms: a breath
        onsets.AddRange(Feed(3, 4000, 5));       // the utterance's speech reaches 200 ms at index 6
        var ends = Feed(8, 0, 8, VoiceActivity.UtteranceEnded); // 320 ms: a pause
        onsets.AddRange(Feed(6, 4000, 16));      // a new utterance: onset at its fifth chunk

        Assert.Equal([6, 20], onsets);
        Assert.Equal([15], ends);
    }

    [Fact]
    public void Speech_is_a_block_whose_rms_level_reaches_the_threshold()
    {
        // A square wave's RMS level is its amplitude.
        Assert.True(VoiceActivityDetector.IsSpeech(Square(80, 500)));
        Assert.False(VoiceActivityDetector.IsSpeech(Square(80, 499)));
        Assert.True(VoiceActivityDetector.IsSpeech(Square(80, 900), speechLevel: 900));
        Assert.False(VoiceActivityDetector.IsSpeech([]));
    }

    [Fact]
    public void Judgements_do_not_depend_on_how_the_audio_is_cut_into_pieces()
    {
        var audio = Tone(Rate / 4, 4000).Concat(new short[Rate / 2]).Concat(Tone(Rate / 5, 4000)).ToArray();
        var whole = new VoiceActivityDetector(Rate, Settings);
        var bySample = new VoiceActivityDetector(Rate, Settings);
        var byOddPieces = new VoiceActivityDetector(Rate, Settings);

        var wholeActivity = whole.Observe(audio);
        var sampleActivity = VoiceActivity.None;
        foreach (var sample in audio)
        {
            sampleActivity |= bySample.Observe([sample]);
        }
        var pieceActivity = VoiceActivity.None;
        foreach (var piece in audio.Chunk(37))
        {
            pieceActivity |= byOddPieces.Observe(piece);
        }

        Assert.Equal(VoiceActivity.Speech | VoiceActivity.Onset | VoiceActivity.UtteranceEnded, wholeActivity);
        Assert.Equal(wholeActivity, sampleActivity);
        Assert.Equal(wholeActivity, pieceActivity);
        foreach (var detector in new[] { bySample, byOddPieces })
        {
            Assert.Equal(whole.QuietSamples, detector.QuietSamples);
            Assert.Equal(whole.UtteranceSpeechSamples, detector.UtteranceSpeechSamples);
            Assert.Equal(whole.InUtterance, detector.InUtterance);
        }
    }

    [Fact]
    public void Quiet_is_counted_in_audio_however_fast_it_arrives()
    {
        _detector.Observe(Tone(Rate, 4000));
        Assert.Equal(0, _detector.QuietSamples);
        Assert.Equal(Rate, _detector.SpeechRunSamples);

        // 1.3 s of silence at once, as a burst of late frames would bring it.
        _detector.Observe(new short[Rate * 13 / 10]);

        Assert.Equal(TimeSpan.FromSeconds(1.3), _detector.Quiet);
        Assert.True(_detector.QuietFor(TimeSpan.FromMilliseconds(800)));
        Assert.False(_detector.QuietFor(TimeSpan.FromSeconds(1.31)));
        Assert.Equal(0, _detector.SpeechRunSamples);
    }

    [Fact]
    public void Before_any_speech_all_the_audio_is_quiet()
    {
        Assert.Equal(TimeSpan.Zero, _detector.Quiet);

        _detector.Observe(new short[Rate / 2]);

        Assert.Equal(TimeSpan.FromSeconds(0.5), _detector.Quiet);
        Assert.False(_detector.HasHeardSpeech);
        Assert.False(_detector.InUtterance);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(24000)]
    public void Blocks_are_10_ms_at_every_rate(int rate)
    {
        var detector = new VoiceActivityDetector(rate, Settings);

        Assert.Equal(rate / 100, detector.BlockSamples);
        Assert.Equal(VoiceActivity.None, detector.Observe(Tone(rate / 100 - 1, 4000, rate)));
        Assert.Equal(VoiceActivity.Speech, detector.Observe(Tone(1, 4000, rate)));
    }

    private static short[] Tone(int samples, short amplitude, int rate = Rate)
    {
        var tone = new short[samples];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(amplitude * Math.Sin(2 * Math.PI * 300 * (i + 0.5) / rate));
        }
        return tone;
    }

    private static short[] Square(int samples, short amplitude) =>
        Enumerable.Range(0, samples).Select(i => (short)(i % 2 == 0 ? amplitude : -amplitude)).ToArray();
}
