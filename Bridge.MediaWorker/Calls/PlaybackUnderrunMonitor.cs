namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Counts outbound underruns: holes in the assistant's speech. An underrun begins when Twilio's playback runs dry
/// (the mark after the last audio sent comes back, so nothing is left buffered there) while audio for the caller
/// is still pending: queued in the bridge, or the model still speaking (its audio content open). It ends when the
/// next audio is sent, and lasts from the one to the other. If instead nothing more comes (the turn ended, the
/// caller barged in, the stream switched, the call ended), the model had no more audio for the caller: no underrun.
/// Both instants are the bridge's (a mark echo received, audio sent), so each is late by about the network's one-way
/// delay and the difference is what the caller heard. Not thread-safe: the call guards it.
/// </summary>
public sealed class PlaybackUnderrunMonitor(TimeProvider time)
{
    private bool _dry;
    private long _dryAt;

    public int Underruns { get; private set; }

    public TimeSpan Total { get; private set; }

    /// <summary>Playback ran dry; <paramref name="audioPending"/> says whether the caller was still owed audio.</summary>
    public void PlaybackRanDry(bool audioPending)
    {
        if (audioPending && !_dry)
        {
            _dry = true;
            _dryAt = time.GetTimestamp();
        }
    }

    /// <summary>Audio went to Twilio. Returns the length of the underrun this ends, if any.</summary>
    public TimeSpan? AudioSent()
    {
        if (!_dry)
        {
            return null;
        }
        _dry = false;
        var length = time.GetElapsedTime(_dryAt);
        Underruns++;
        Total += length;
        return length;
    }

    /// <summary>Nothing more is owed to the caller (turn end with nothing queued, barge-in, stream switch): a dry spell was the end of speech.</summary>
    public void NothingPending() => _dry = false;
}
