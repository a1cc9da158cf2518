using Bridge.MediaWorker.Nova;
using Bridge.MediaWorker.Calls;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class SpeechOnsetDetectorTests
{
    private const int Rate = 8000;
    private const int ChunkSamples = Rate * 40 / 1000;

    private readonly SpeechOnsetDetector _detector = new(Rate);

    /// <summary>Feeds 40 ms chunks of a tone (<paramref name="amplitude"/> 0 is silence); returns the chunk indexes where an onset was reported.</summary>
    private List<int> Feed(int chunks, short amplitude, int firstIndex = 0)
    {
        var onsets = new List<int>();
        var chunk = new short[ChunkSamples];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = (short)(amplitude * Math.Sin(2 * Math.PI * 300 * i / Rate));
        }
        for (var n = 0; n < chunks; n++)
        {
            if (_detector.Observe(CallerSpeechMonitor.IsSpeech(chunk), chunk.Length))
            {
                onsets.Add(firstIndex + n);
            }
        }
        return onsets;
    }

    [Fact]
    public void Speech_is_an_onset_once_it_has_lasted_the_minimum_and_only_once_per_utterance()
    {
        var onsets = Feed(25, 4000);

        // 200 ms is five 40 ms chunks: reported at the fifth (index 4).
        Assert.Equal([4], onsets);
    }

    [Fact]
    public void A_short_noise_is_no_onset()
    {
        Assert.Empty(Feed(3, 4000));
        Assert.Empty(Feed(10, 0));
        Assert.Empty(Feed(3, 4000));
    }

    [Fact]
    public void Quiet_audio_is_not_speech()
    {
        Assert.Empty(Feed(50, 300));
    }

    [Fact]
    public void A_breath_inside_an_utterance_neither_resets_it_nor_starts_another_but_a_pause_does()
    {
        var onsets = Feed(3, 4000, 0);
        onsets.AddRange(Feed(2, 0, 3));          // 80 ms: a breath
        onsets.AddRange(Feed(3, 4000, 5));       // the utterance reaches 240 ms of speech at index 6
        onsets.AddRange(Feed(8, 0, 8));          // 320 ms: a pause
        onsets.AddRange(Feed(6, 4000, 16));      // a new utterance: onset at its fifth chunk

        Assert.Equal([6, 20], onsets);
    }
}
