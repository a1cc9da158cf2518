namespace Bridge.MediaWorker.Nova;

/// <summary>
/// Notices when the caller is speaking from the level of the audio sent to the model (energy, not recognition),
/// so that a stream renewal never cuts an utterance in two, and so the call can time the model's answers.
/// </summary>
public sealed class CallerSpeechMonitor(TimeProvider time)
{
    /// <summary>Mean absolute sample level (of 32767) above which audio counts as speech: about −36 dBFS.</summary>
    public const int SpeechLevel = 500;

    private long _lastSpeechAt;
    private long _lastAnsweredAt;

    /// <summary>When the caller was last heard speaking (a <see cref="TimeProvider"/> timestamp; 0 if never).</summary>
    public long LastSpeechAt => Volatile.Read(ref _lastSpeechAt);

    /// <summary>The caller spoke after the model last answered: a reply is due.</summary>
    public bool AwaitingReply => Volatile.Read(ref _lastSpeechAt) > Volatile.Read(ref _lastAnsweredAt);

    /// <summary>Notes the caller's audio; returns whether it was speech.</summary>
    public bool Observe(ReadOnlySpan<short> samples)
    {
        if (!IsSpeech(samples))
        {
            return false;
        }
        Volatile.Write(ref _lastSpeechAt, time.GetTimestamp());
        return true;
    }

    /// <summary>Whether these samples are loud enough to be speech (their mean level reaches <see cref="SpeechLevel"/>).</summary>
    public static bool IsSpeech(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return false;
        }
        long level = 0;
        foreach (var sample in samples)
        {
            level += Math.Abs((int)sample);
        }
        return level / samples.Length >= SpeechLevel;
    }

    /// <summary>The model finished a turn: what the caller said before now has been answered.</summary>
    public void Answered() => Volatile.Write(ref _lastAnsweredAt, time.GetTimestamp());

    /// <summary>The caller has not spoken for at least <paramref name="period"/>.</summary>
    public bool QuietFor(TimeSpan period) =>
        Volatile.Read(ref _lastSpeechAt) == 0 || time.GetElapsedTime(Volatile.Read(ref _lastSpeechAt)) >= period;
}
