using System.Diagnostics;

namespace Bridge.Tests.Support;

/// <summary>
/// Measures how long the machine kept this process's thread pool from running a timer it was owed: a 10 ms timer's
/// lateness, the longest seen since the probe started. A real-time limit ("silent for less than a second") holds
/// the bridge to that limit plus what the machine took from every thread alike, so that a busy shared runner is not
/// taken for a bridge that stalls, while a stall of the bridge's own making (a lock, a blocked call) still fails:
/// the probe's timer keeps running through it.
/// </summary>
public sealed class SchedulingStallProbe : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private long _last;
    private TimeSpan _longest;

    public SchedulingStallProbe()
    {
        _last = Stopwatch.GetTimestamp();
        _timer = TimeProvider.System.CreateTimer(_ => Tick(), null, Period, Period);
    }

    /// <summary>The longest delay beyond its period that the probe's timer saw.</summary>
    public TimeSpan LongestStall
    {
        get
        {
            lock (_gate)
            {
                var sinceLast = Stopwatch.GetElapsedTime(_last) - Period;
                return sinceLast > _longest ? sinceLast : _longest;
            }
        }
    }

    /// <summary><paramref name="limit"/> plus the longest stall the machine imposed.</summary>
    public TimeSpan Allow(TimeSpan limit) => limit + LongestStall;

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var late = Stopwatch.GetElapsedTime(_last, now) - Period;
            _longest = late > _longest ? late : _longest;
            _last = now;
        }
    }
}
