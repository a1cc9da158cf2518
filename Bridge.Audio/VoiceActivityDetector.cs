namespace Bridge.Audio;

/// <summary>
/// Energy voice activity detection over PCM16 mono, measured in samples — never on the wall clock, since audio off a
/// network arrives late and then in bursts. The audio is judged in blocks of <see cref="BlockDuration"/>, carried
/// across calls: a block whose RMS level reaches <see cref="VoiceActivitySettings.SpeechLevel"/> is speech. An
/// utterance starts at a speech block and ends after <see cref="VoiceActivitySettings.EndOfUtterance"/> without
/// speech; its onset is reported once its speech, short pauses between not counted, adds up to
/// <see cref="VoiceActivitySettings.MinimumSpeech"/> (a click or a cough never gets there). One per audio stream; not
/// thread-safe; allocates nothing after construction.
/// </summary>
public sealed class VoiceActivityDetector
{
    public static readonly TimeSpan BlockDuration = TimeSpan.FromMilliseconds(10);

    private readonly long _thresholdPerSample;
    private readonly long _minimumSpeechSamples;
    private readonly long _endOfUtteranceSamples;
    private long _blockSumOfSquares;
    private int _blockFill;
    private bool _onsetReported;

    public VoiceActivityDetector(int sampleRate, VoiceActivitySettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.SpeechLevel);
        SampleRate = sampleRate;
        Settings = settings;
        BlockSamples = (int)(sampleRate * BlockDuration.TotalSeconds);
        _thresholdPerSample = (long)settings.SpeechLevel * settings.SpeechLevel;
        _minimumSpeechSamples = Samples(settings.MinimumSpeech);
        _endOfUtteranceSamples = Samples(settings.EndOfUtterance);
    }

    public int SampleRate { get; }

    public VoiceActivitySettings Settings { get; }

    /// <summary>Samples in one judged block (10 ms).</summary>
    public int BlockSamples { get; }

    /// <summary>Uninterrupted speech up to the last judged block, in samples (0 when that block was quiet).</summary>
    public long SpeechRunSamples { get; private set; }

    /// <summary>Samples judged since the last speech block, or since the start when there was none.</summary>
    public long QuietSamples { get; private set; }

    /// <summary>Whether any block was speech yet.</summary>
    public bool HasHeardSpeech { get; private set; }

    /// <summary>An utterance has started and not yet ended.</summary>
    public bool InUtterance { get; private set; }

    /// <summary>Speech in the current utterance so far, in samples (pauses not counted); 0 outside one.</summary>
    public long UtteranceSpeechSamples { get; private set; }

    /// <summary>How long it has been quiet, in audio time (see <see cref="QuietSamples"/>).</summary>
    public TimeSpan Quiet => TimeSpan.FromSeconds(QuietSamples / (double)SampleRate);

    /// <summary>Whether the audio has been quiet for at least <paramref name="period"/> of audio time.</summary>
    public bool QuietFor(TimeSpan period) => QuietSamples >= Samples(period);

    /// <summary>Judges the blocks that <paramref name="samples"/> completes; says what happened in them.</summary>
    public VoiceActivity Observe(ReadOnlySpan<short> samples)
    {
        var activity = VoiceActivity.None;
        while (!samples.IsEmpty)
        {
            var take = Math.Min(BlockSamples - _blockFill, samples.Length);
            _blockSumOfSquares += SumOfSquares(samples[..take]);
            _blockFill += take;
            samples = samples[take..];
            if (_blockFill == BlockSamples)
            {
                activity |= OnBlock(_blockSumOfSquares >= _thresholdPerSample * BlockSamples);
                _blockSumOfSquares = 0;
                _blockFill = 0;
            }
        }
        return activity;
    }

    private VoiceActivity OnBlock(bool speech)
    {
        if (speech)
        {
            HasHeardSpeech = true;
            InUtterance = true;
            QuietSamples = 0;
            SpeechRunSamples += BlockSamples;
            UtteranceSpeechSamples += BlockSamples;
            if (_onsetReported || UtteranceSpeechSamples < _minimumSpeechSamples)
            {
                return VoiceActivity.Speech;
            }
            _onsetReported = true;
            return VoiceActivity.Speech | VoiceActivity.Onset;
        }

        SpeechRunSamples = 0;
        QuietSamples += BlockSamples;
        if (!InUtterance || QuietSamples < _endOfUtteranceSamples)
        {
            return VoiceActivity.None;
        }
        var ended = _onsetReported ? VoiceActivity.UtteranceEnded : VoiceActivity.NoiseEnded;
        InUtterance = false;
        UtteranceSpeechSamples = 0;
        _onsetReported = false;
        return ended;
    }

    /// <summary>Whether these samples, taken as one block, are speech: their RMS level reaches <paramref name="speechLevel"/>.</summary>
    public static bool IsSpeech(ReadOnlySpan<short> samples, int speechLevel = VoiceActivitySettings.DefaultSpeechLevel) =>
        !samples.IsEmpty && SumOfSquares(samples) >= (long)speechLevel * speechLevel * samples.Length;

    private static long SumOfSquares(ReadOnlySpan<short> samples)
    {
        long sum = 0;
        foreach (var sample in samples)
        {
            sum += sample * sample;
        }
        return sum;
    }

    private long Samples(TimeSpan duration) => (long)Math.Round(SampleRate * duration.TotalSeconds);
}

/// <summary>What <see cref="VoiceActivityDetector.Observe"/> saw in the blocks it judged.</summary>
[Flags]
public enum VoiceActivity
{
    None = 0,

    /// <summary>At least one block was speech.</summary>
    Speech = 1,

    /// <summary>An utterance's speech reached <see cref="VoiceActivitySettings.MinimumSpeech"/>: reported once per utterance.</summary>
    Onset = 2,

    /// <summary>An utterance that had its onset ended (<see cref="VoiceActivitySettings.EndOfUtterance"/> without speech).</summary>
    UtteranceEnded = 4,

    /// <summary>Speech too short for an onset ended: a click, a cough, line noise.</summary>
    NoiseEnded = 8,
}

/// <summary>The thresholds of a <see cref="VoiceActivityDetector"/>.</summary>
public readonly record struct VoiceActivitySettings
{
    /// <summary>RMS level (of 32767) from which a block is speech: about −36 dBFS.</summary>
    public const int DefaultSpeechLevel = 500;

    public VoiceActivitySettings(TimeSpan minimumSpeech, TimeSpan endOfUtterance, int speechLevel = DefaultSpeechLevel)
    {
        MinimumSpeech = minimumSpeech;
        EndOfUtterance = endOfUtterance;
        SpeechLevel = speechLevel;
    }

    /// <summary>Speech an utterance must add up to before its onset is reported.</summary>
    public TimeSpan MinimumSpeech { get; init; }

    /// <summary>Quiet that ends an utterance; a shorter pause (a breath) stays inside it.</summary>
    public TimeSpan EndOfUtterance { get; init; }

    public int SpeechLevel { get; init; }
}
