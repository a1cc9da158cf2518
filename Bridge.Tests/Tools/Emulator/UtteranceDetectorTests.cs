using Bridge.Emulator;
using Bridge.Emulator.Agent;

namespace Bridge.Tests.Tools.Emulator;

public sealed class UtteranceDetectorTests
{
    private static readonly EmulatorOptions Options = new()
    {
        EndOfUtteranceSilence = TimeSpan.FromMilliseconds(300),
        MinimumUtterance = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public void An_utterance_ends_after_the_configured_silence_without_its_trailing_silence()
    {
        var detector = new UtteranceDetector(8000, Options);
        var utterances = new List<short[]>();
        var audio = TestAudio.Silence(8000, TimeSpan.FromMilliseconds(200))
            .Concat(TestAudio.Tone(8000, TimeSpan.FromMilliseconds(500)))
            .Concat(TestAudio.Silence(8000, TimeSpan.FromMilliseconds(290))).ToArray();

        detector.Process(audio, utterances.Add, _ => { });
        Assert.Empty(utterances);
        detector.Process(TestAudio.Silence(8000, TimeSpan.FromMilliseconds(20)), utterances.Add, _ => { });

        Assert.Equal(4000, Assert.Single(utterances).Length);
    }

    [Fact]
    public void A_pause_shorter_than_the_end_silence_keeps_one_utterance()
    {
        var detector = new UtteranceDetector(16000, Options);
        var utterances = new List<short[]>();
        var audio = TestAudio.Tone(16000, TimeSpan.FromMilliseconds(300))
            .Concat(TestAudio.Silence(16000, TimeSpan.FromMilliseconds(200)))
            .Concat(TestAudio.Tone(16000, TimeSpan.FromMilliseconds(300)))
            .Concat(TestAudio.Silence(16000, TimeSpan.FromMilliseconds(400))).ToArray();

        detector.Process(audio, utterances.Add, _ => { });

        Assert.Equal(16000 * 800 / 1000, Assert.Single(utterances).Length);
    }

    [Fact]
    public void Quiet_audio_below_the_threshold_is_not_speech()
    {
        var detector = new UtteranceDetector(8000, Options);
        var speechRuns = new List<int>();
        var audio = TestAudio.Tone(8000, TimeSpan.FromSeconds(1), amplitude: 400).Concat(TestAudio.Silence(8000, TimeSpan.FromSeconds(1))).ToArray();

        detector.Process(audio, _ => Assert.Fail("no utterance expected"), speechRuns.Add);

        Assert.Empty(speechRuns);
    }

    [Fact]
    public void Speech_runs_are_reported_in_10_ms_steps_for_barge_in()
    {
        var detector = new UtteranceDetector(8000, Options);
        var speechRuns = new List<int>();

        detector.Process(TestAudio.Tone(8000, TimeSpan.FromMilliseconds(50)), _ => { }, speechRuns.Add);

        Assert.Equal([10, 20, 30, 40, 50], speechRuns);
    }
}
