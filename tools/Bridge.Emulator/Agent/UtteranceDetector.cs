namespace Bridge.Emulator.Agent;

/// <summary>
/// Cuts the caller's audio into utterances in sample time: 10 ms blocks judged by <see cref="EnergyVad"/>; an
/// utterance starts at a speech block and ends after <see cref="EmulatorOptions.EndOfUtteranceSilence"/> of
/// silence (its trailing silence is not kept). Also reports how long the current run of speech is, for barge-in.
/// </summary>
public sealed class UtteranceDetector
{
    private const int MaxUtteranceSeconds = 30;
    private readonly EnergyVad _vad;
    private readonly int _sampleRate;
    private readonly int _blockSamples;
    private readonly int _endSilenceMs;
    private readonly int _minimumSpeechMs;
    private readonly short[] _block;
    private readonly List<short> _utterance = [];
    private int _blockFill;
    private int _silenceMs;
    private int _speechMs;
    private int _keptLength;

    public UtteranceDetector(int sampleRate, EmulatorOptions options)
    {
        _vad = new EnergyVad(options.SpeechThreshold);
        _sampleRate = sampleRate;
        _blockSamples = sampleRate / 100;
        _endSilenceMs = (int)options.EndOfUtteranceSilence.TotalMilliseconds;
        _minimumSpeechMs = (int)options.MinimumUtterance.TotalMilliseconds;
        _block = new short[_blockSamples];
    }

    public int SampleRate => _sampleRate;

    /// <summary>Milliseconds of uninterrupted speech up to the last block.</summary>
    public int SpeechRunMs { get; private set; }

    /// <summary>Feeds caller audio; returns each utterance that ended in it (usually none).</summary>
    public void Process(ReadOnlySpan<short> samples, Action<short[]> onUtterance, Action<int> onSpeechRun)
    {
        while (!samples.IsEmpty)
        {
            var take = Math.Min(_blockSamples - _blockFill, samples.Length);
            samples[..take].CopyTo(_block.AsSpan(_blockFill));
            _blockFill += take;
            samples = samples[take..];
            if (_blockFill < _blockSamples)
            {
                return;
            }

            _blockFill = 0;
            OnBlock(onUtterance, onSpeechRun);
        }
    }

    private void OnBlock(Action<short[]> onUtterance, Action<int> onSpeechRun)
    {
        var speech = _vad.IsSpeech(_block);
        SpeechRunMs = speech ? SpeechRunMs + 10 : 0;
        if (speech)
        {
            onSpeechRun(SpeechRunMs);
        }

        var inUtterance = _utterance.Count > 0;
        if (!speech && !inUtterance)
        {
            return;
        }

        if (_utterance.Count < _sampleRate * MaxUtteranceSeconds)
        {
            _utterance.AddRange(_block);
        }

        if (speech)
        {
            _speechMs += 10;
            _silenceMs = 0;
            _keptLength = _utterance.Count;
            return;
        }

        _silenceMs += 10;
        if (_silenceMs < _endSilenceMs)
        {
            return;
        }

        var enoughSpeech = _speechMs >= _minimumSpeechMs;
        var utterance = _utterance.GetRange(0, _keptLength).ToArray();
        _utterance.Clear();
        _speechMs = 0;
        _silenceMs = 0;
        _keptLength = 0;
        if (enoughSpeech)
        {
            onUtterance(utterance);
        }
    }
}
