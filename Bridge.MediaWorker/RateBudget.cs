namespace Bridge.MediaWorker;

/// <summary>
/// A token bucket of <c>burst</c> events refilled at <c>perSecond</c>, kept as a virtual clock in timestamp ticks
/// (GCRA): each event moves the clock on by one interval, never from before now, and running more than the burst's
/// worth of intervals ahead of now is over the budget. Whole ticks, no division and no allocation per event; the
/// interval is rounded up, so the budget is never looser than asked. One owner at a time: no lock.
/// </summary>
internal struct RateBudget
{
    private readonly long _interval;
    private readonly long _burstTicks;
    private long _clock;

    /// <param name="frequency">Timestamp ticks per second (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="startedAt">A timestamp: the bucket is full from then.</param>
    public RateBudget(int perSecond, int burst, long frequency, long startedAt)
    {
        _interval = (frequency + perSecond - 1) / perSecond;
        _burstTicks = _interval * burst;
        _clock = startedAt;
    }

    /// <summary>Takes <paramref name="count"/> events at <paramref name="now"/>: false, taking none, when they do not fit.</summary>
    public bool TryTake(long now, int count = 1)
    {
        var clock = Math.Max(_clock, now) + _interval * count;
        if (clock - now > _burstTicks)
        {
            return false;
        }
        _clock = clock;
        return true;
    }
}
