namespace Bridge.MediaWorker.Calls;

/// <summary>
/// When model audio that was to leave at once arrived, by its position in the playout queue: the bridge's own delay
/// on the way out is measured from the oldest of them a send takes. Not thread-safe: <see cref="Playout"/> holds its lock.
/// </summary>
internal sealed class OutboundArrivals
{
    private readonly Queue<(long Position, long ArrivedAt)> _arrivals = new();

    public void Arrived(long position, long arrivedAt) => _arrivals.Enqueue((position, arrivedAt));

    /// <summary>Forgets the arrivals now sent (queued before <paramref name="sentPosition"/>); returns the oldest one's time, 0 if none.</summary>
    public long TakeSentBefore(long sentPosition)
    {
        long oldest = 0;
        while (_arrivals.TryPeek(out var arrival) && arrival.Position < sentPosition)
        {
            _arrivals.Dequeue();
            oldest = oldest == 0 ? arrival.ArrivedAt : oldest;
        }
        return oldest;
    }

    public void Clear() => _arrivals.Clear();
}
