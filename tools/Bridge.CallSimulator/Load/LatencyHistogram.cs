namespace Bridge.CallSimulator.Load;

/// <summary>Round-trip latencies in 0.1 ms buckets up to 10 s (beyond: the last bucket), safe to add to from many calls.</summary>
public sealed class LatencyHistogram
{
    private const double BucketMs = 0.1;
    private readonly long[] _buckets = new long[100_000];
    private long _count;
    private long _sumMicroseconds;
    private long _maxMicroseconds;

    public long Count => Interlocked.Read(ref _count);

    public void Add(TimeSpan latency)
    {
        var ms = Math.Max(0, latency.TotalMilliseconds);
        var bucket = (int)Math.Min(_buckets.Length - 1, ms / BucketMs);
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
        var micros = (long)(ms * 1000);
        Interlocked.Add(ref _sumMicroseconds, micros);
        long seen;
        while (micros > (seen = Interlocked.Read(ref _maxMicroseconds)) &&
               Interlocked.CompareExchange(ref _maxMicroseconds, micros, seen) != seen)
        {
        }
    }

    /// <summary>The latency below which <paramref name="percentile"/> % of samples fall (bucket upper edge), or null when empty.</summary>
    public double? Percentile(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return null;
        }
        var rank = (long)Math.Ceiling(percentile / 100 * count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= Math.Max(1, rank))
            {
                return Math.Round((i + 1) * BucketMs, 1);
            }
        }
        return MaxMs;
    }

    public double? MeanMs => Count == 0 ? null : Interlocked.Read(ref _sumMicroseconds) / 1000.0 / Count;

    public double? MaxMs => Count == 0 ? null : Interlocked.Read(ref _maxMicroseconds) / 1000.0;
}
