using Bridge.Audio;

namespace Bridge.MediaWorker.Nova;

/// <summary>
/// Notices when the caller is speaking from the level of the audio sent to the model (Bridge.Audio's energy
/// <see cref="VoiceActivityDetector"/>, not recognition), so that a stream renewal never cuts an utterance in two,
/// and so the call can time the model's answers and tell when the caller starts talking.
/// </summary>
public sealed class CallerSpeechMonitor(int sampleRate, TimeProvider time)
{
    /// <summary>
    /// An onset is 200 ms of speech, counted across breaths; only a pause of 300 ms ends the utterance and lets the
    /// next onset be reported.
    /// </summary>
    public static readonly VoiceActivitySettings Settings = new(
        minimumSpeech: TimeSpan.FromMilliseconds(200), endOfUtterance: TimeSpan.FromMilliseconds(300));

    private readonly VoiceActivityDetector _detector = new(sampleRate, Settings);
    private long _lastSpeechAt;
    private long _lastAnsweredAt;

    /// <summary>When the caller was last heard speaking (a <see cref="TimeProvider"/> timestamp; 0 if never).</summary>
    public long LastSpeechAt => Volatile.Read(ref _lastSpeechAt);

    /// <summary>The caller spoke after the model last answered: a reply is due.</summary>
    public bool AwaitingReply => Volatile.Read(ref _lastSpeechAt) > Volatile.Read(ref _lastAnsweredAt);

    /// <summary>Notes the caller's audio; says whether it held speech and whether an utterance's onset was reached in it.</summary>
    public VoiceActivity Observe(ReadOnlySpan<short> samples)
    {
        var activity = _detector.Observe(samples);
        if (activity.HasFlag(VoiceActivity.Speech))
        {
            Volatile.Write(ref _lastSpeechAt, time.GetTimestamp());
        }
        return activity;
    }

    /// <summary>The model finished a turn: what the caller said before now has been answered.</summary>
    public void Answered() => Volatile.Write(ref _lastAnsweredAt, time.GetTimestamp());

    /// <summary>The caller has not spoken for at least <paramref name="period"/>.</summary>
    public bool QuietFor(TimeSpan period) =>
        Volatile.Read(ref _lastSpeechAt) == 0 || time.GetElapsedTime(Volatile.Read(ref _lastSpeechAt)) >= period;
}
