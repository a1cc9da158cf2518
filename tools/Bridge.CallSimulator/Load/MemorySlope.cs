namespace Bridge.CallSimulator.Load;

/// <summary>
/// Whether memory stays flat: the least-squares slope of memory samples over time, in KB per minute, counting only
/// samples taken after a warm-up (while calls ramp up and the runtime settles, memory rightly grows).
/// </summary>
public sealed class MemorySlope(TimeSpan warmUp)
{
    /// <summary>Fewer samples than this after the warm-up give no slope: too short a run to say.</summary>
    public const int MinimumSamples = 10;

    private double _n;
    private double _sumT;
    private double _sumM;
    private double _sumTT;
    private double _sumTM;

    public int Samples => (int)_n;

    /// <param name="elapsed">Time since the load test began.</param>
    /// <param name="bytes">Memory at that time.</param>
    public void Add(TimeSpan elapsed, long bytes)
    {
        if (elapsed < warmUp)
        {
            return;
        }
        var minutes = elapsed.TotalMinutes;
        var kilobytes = bytes / 1024.0;
        _n++;
        _sumT += minutes;
        _sumM += kilobytes;
        _sumTT += minutes * minutes;
        _sumTM += minutes * kilobytes;
    }

    /// <summary>KB per minute after the warm-up; null until there are <see cref="MinimumSamples"/> samples.</summary>
    public double? KilobytesPerMinute
    {
        get
        {
            var spread = _n * _sumTT - _sumT * _sumT;
            return _n < MinimumSamples || spread <= 0 ? null : (_n * _sumTM - _sumT * _sumM) / spread;
        }
    }
}
