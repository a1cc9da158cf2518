using Bridge.Audio;

namespace Bridge.Softphone.Calls;

/// <summary>
/// Per turn, the time from the end of the caller's speech to the first audio the caller then hears, on the
/// stand-in's stream clock (20 ms frames), as the call simulator's reply latency is measured: speech is a caller
/// frame louder than about −35 dBFS; a reply is audio starting to play after at least 100 ms of speech, with the
/// caller quiet for the last 40 ms. Audio already playing when the caller stops (talking over it) is no reply.
/// </summary>
internal sealed class TurnTimer
{
    private const double SpeechRms = 600;
    private const int MinSpeechFrames = 5;
    private const int QuietFramesBeforeReply = 2;

    private readonly Lock _gate = new();
    private TimeSpan _lastSpeechEnd;
    private int _speechFrames;
    private int _quietFrames;
    private bool _playing;

    /// <summary>Caller frame <paramref name="index"/> (from 0; it ends at (index + 1) · 20 ms of stream time).</summary>
    public void CallerFrame(long index, ReadOnlySpan<short> pcm)
    {
        double sum = 0;
        foreach (var sample in pcm)
        {
            sum += sample * (double)sample;
        }
        var speech = pcm.Length > 0 && Math.Sqrt(sum / pcm.Length) >= SpeechRms;
        lock (_gate)
        {
            if (speech)
            {
                _lastSpeechEnd = TelephoneFrame.Duration * (index + 1);
                _speechFrames++;
                _quietFrames = 0;
            }
            else
            {
                _quietFrames++;
            }
        }
    }

    /// <summary>Playback tick <paramref name="tick"/> played <paramref name="playedBytes"/> of the server's audio; a reply's latency when one starts.</summary>
    public TimeSpan? Heard(long tick, int playedBytes)
    {
        lock (_gate)
        {
            var onset = playedBytes > 0 && !_playing;
            _playing = playedBytes > 0;
            if (!onset || _speechFrames < MinSpeechFrames || _quietFrames < QuietFramesBeforeReply)
            {
                return null;
            }
            _speechFrames = 0;
            // Tick i plays during [(i + 1) · 20 ms, (i + 2) · 20 ms) of stream time.
            var latency = TelephoneFrame.Duration * (tick + 1) - _lastSpeechEnd;
            return latency >= TimeSpan.Zero ? latency : null;
        }
    }
}
