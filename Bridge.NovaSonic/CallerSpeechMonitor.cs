using Bridge.Audio;

namespace Bridge.NovaSonic;

/// <summary>
/// Notices when the caller is speaking from the level of the audio sent to the model (Bridge.Audio's energy
/// <see cref="VoiceActivityDetector"/>, not recognition), so that a stream renewal never cuts an utterance in two,
/// and so the call can time the model's answers and tell when the caller starts talking. Pauses are measured in the
/// caller's audio, not on the clock: frames that arrive late and then in a burst still carry the pause the caller made.
/// Fed by one thread; read from any.
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
    private long _quietSamples;
    private volatile bool _heardSpeech;

    /// <summary>When the caller was last heard speaking (a <see cref="TimeProvider"/> timestamp; 0 if never).</summary>
    public long LastSpeechAt => Volatile.Read(ref _lastSpeechAt);

    /// <summary>The caller spoke after the model last answered: a reply is due.</summary>
    public bool AwaitingReply => Volatile.Read(ref _lastSpeechAt) > Volatile.Read(ref _lastAnsweredAt);

    /// <summary>Notes the caller's audio; says whether it held speech and whether an utterance's onset was reached in it.</summary>
    public VoiceActivity Observe(ReadOnlySpan<short> samples)
    {
        var activity = _detector.Observe(samples);
        if ((activity & VoiceActivity.Speech) != 0)
        {
            Volatile.Write(ref _lastSpeechAt, time.GetTimestamp());
            _heardSpeech = true;
        }
        Volatile.Write(ref _quietSamples, _detector.QuietSamples);
        return activity;
    }

    /// <summary>The model finished a turn: what the caller said before now has been answered.</summary>
    public void Answered() => Volatile.Write(ref _lastAnsweredAt, time.GetTimestamp());

    /// <summary>The caller has not spoken in the last <paramref name="period"/> of their audio (or never has).</summary>
    public bool QuietFor(TimeSpan period) =>
        !_heardSpeech || Volatile.Read(ref _quietSamples) >= (long)(sampleRate * period.TotalSeconds);
}
