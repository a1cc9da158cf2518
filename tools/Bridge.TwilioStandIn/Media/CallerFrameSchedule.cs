namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// When each caller message goes out: a frame per 20 ms tick unless the line drops it, held back by the line's
/// jitter (released in order: a later frame never overtakes one held longer), and each DTMF press at its time (planned, or pressed live on the keypad).
/// Not thread-safe: the session's tick loop owns it.
/// </summary>
internal sealed class CallerFrameSchedule(MediaStreamOptions options, MediaStreamSender sender)
{
    private readonly Random _random = new(options.Impairment.Seed);
    private readonly Queue<(long Chunk, long TimestampMs, TimeSpan ReleaseAt)> _held = new();
    private readonly List<DtmfPress> _dtmf = options.Dtmf.OrderBy(d => d.At).ToList();
    private int _nextDtmf;

    /// <summary>Tick <paramref name="chunk"/> (from 1) ends at <paramref name="streamTime"/>; <paramref name="now"/> is the stream clock.</summary>
    public void Tick(long chunk, TimeSpan streamTime, TimeSpan now)
    {
        if (!options.Impairment.Drops(chunk))
        {
            _held.Enqueue((chunk, (long)streamTime.TotalMilliseconds, streamTime + options.Impairment.NextDelay(_random)));
        }
        Release(now);
        while (_nextDtmf < _dtmf.Count && _dtmf[_nextDtmf].At <= streamTime)
        {
            sender.Post(Outbound.Dtmf(_dtmf[_nextDtmf++].Digit));
        }
        while (options.Keypad is { } keypad && keypad.TryTake(out var key))
        {
            sender.Post(Outbound.Dtmf(key));
        }
    }

    /// <summary>Sends the held caller frames whose time has come, in order.</summary>
    public void Release(TimeSpan now)
    {
        while (_held.TryPeek(out var frame) && frame.ReleaseAt <= now)
        {
            _held.Dequeue();
            sender.Post(Outbound.Media(frame.Chunk, frame.TimestampMs));
        }
    }
}
