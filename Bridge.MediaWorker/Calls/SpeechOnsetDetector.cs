using Bridge.MediaWorker.Nova;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Tells when the caller starts talking, from the level of their audio (<see cref="CallerSpeechMonitor.IsSpeech"/>):
/// an onset is <see cref="MinimumSpeech"/> of speech, counted across short breaths, and is reported once; only a
/// pause of <see cref="PauseToReset"/> lets the next one be reported. A click or a cough is shorter than an onset.
/// Not thread-safe: fed from the call's receive loop.
/// </summary>
public sealed class SpeechOnsetDetector(int sampleRate)
{
    public static readonly TimeSpan MinimumSpeech = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan PauseToReset = TimeSpan.FromMilliseconds(300);

    private readonly long _minimumSpeechSamples = (long)(sampleRate * MinimumSpeech.TotalSeconds);
    private readonly long _pauseSamples = (long)(sampleRate * PauseToReset.TotalSeconds);
    private long _speechSamples;
    private long _quietSamples;
    private bool _reported;

    /// <summary>
    /// Feeds a chunk of <paramref name="samples"/> caller samples, judged <paramref name="speech"/> or not by
    /// <see cref="CallerSpeechMonitor"/>; returns true at the chunk where an utterance's onset is reached.
    /// </summary>
    public bool Observe(bool speech, int samples)
    {
        if (!speech)
        {
            _quietSamples += samples;
            if (_quietSamples >= _pauseSamples)
            {
                _speechSamples = 0;
                _reported = false;
            }
            return false;
        }
        _quietSamples = 0;
        _speechSamples += samples;
        if (_reported || _speechSamples < _minimumSpeechSamples)
        {
            return false;
        }
        _reported = true;
        return true;
    }
}
