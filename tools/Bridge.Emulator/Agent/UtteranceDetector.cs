using Bridge.Audio;

namespace Bridge.Emulator.Agent;

/// <summary>
/// Cuts the caller's audio into utterances in sample time with Bridge.Audio's <see cref="VoiceActivityDetector"/>
/// (10 ms blocks, RMS level <see cref="EmulatorOptions.SpeechThreshold"/>): an utterance starts at a speech block
/// and ends after <see cref="EmulatorOptions.EndOfUtteranceSilence"/> of silence (its trailing silence is not kept);
/// less than <see cref="EmulatorOptions.MinimumUtterance"/> of speech is noise. Also reports how long the current
/// run of speech is, for barge-in.
/// </summary>
public sealed class UtteranceDetector
{
    private const int MaxUtteranceSeconds = 30;
    private readonly VoiceActivityDetector _vad;
    private readonly short[] _block;
    private readonly List<short> _utterance = [];
    private int _blockFill;
    private int _keptLength;

    public UtteranceDetector(int sampleRate, EmulatorOptions options)
    {
        _vad = new VoiceActivityDetector(sampleRate, new VoiceActivitySettings(
            minimumSpeech: options.MinimumUtterance, endOfUtterance: options.EndOfUtteranceSilence, speechLevel: options.SpeechThreshold));
        _block = new short[_vad.BlockSamples];
    }

    public int SampleRate => _vad.SampleRate;

    /// <summary>Milliseconds of uninterrupted speech up to the last block.</summary>
    public int SpeechRunMs => (int)(_vad.SpeechRunSamples * 1000 / _vad.SampleRate);

    /// <summary>Feeds caller audio; returns each utterance that ended in it (usually none).</summary>
    public void Process(ReadOnlySpan<short> samples, Action<short[]> onUtterance, Action<int> onSpeechRun)
    {
        while (!samples.IsEmpty)
        {
            var take = Math.Min(_block.Length - _blockFill, samples.Length);
            samples[..take].CopyTo(_block.AsSpan(_blockFill));
            _blockFill += take;
            samples = samples[take..];
            if (_blockFill < _block.Length)
            {
                return;
            }

            _blockFill = 0;
            OnBlock(onUtterance, onSpeechRun);
        }
    }

    private void OnBlock(Action<short[]> onUtterance, Action<int> onSpeechRun)
    {
        var activity = _vad.Observe(_block);
        var speech = activity.HasFlag(VoiceActivity.Speech);
        if (speech)
        {
            onSpeechRun(SpeechRunMs);
        }

        if (_vad.InUtterance || activity.HasFlag(VoiceActivity.UtteranceEnded) || activity.HasFlag(VoiceActivity.NoiseEnded))
        {
            if (_utterance.Count < _vad.SampleRate * MaxUtteranceSeconds)
            {
                _utterance.AddRange(_block);
            }

            if (speech)
            {
                _keptLength = _utterance.Count;
            }
        }

        if (activity.HasFlag(VoiceActivity.UtteranceEnded) || activity.HasFlag(VoiceActivity.NoiseEnded))
        {
            var utterance = _utterance.GetRange(0, _keptLength).ToArray();
            _utterance.Clear();
            _keptLength = 0;
            if (activity.HasFlag(VoiceActivity.UtteranceEnded))
            {
                onUtterance(utterance);
            }
        }
    }
}
