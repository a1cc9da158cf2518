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
    private (int Threads, long Queued) _poolAtLongest;

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
                return LongestLocked();
            }
        }
    }

    /// <summary>
    /// The longest stall and the thread pool when it ended: many queued items on few threads say the process starved its
    /// own pool (something blocked its threads); few queued items say the machine's CPUs were busy elsewhere.
    /// </summary>
    public string Describe()
    {
        lock (_gate)
        {
            return $"the longest stall of the process's timers: {LongestLocked().TotalMilliseconds:0} ms (thread pool at the longest that ended: {_poolAtLongest.Threads} threads, {_poolAtLongest.Queued} items queued)";
        }
    }

    /// <summary><paramref name="limit"/> plus the longest stall the machine imposed.</summary>
    public TimeSpan Allow(TimeSpan limit) => limit + LongestStall;

    public void Dispose() => _timer.Dispose();

    /// <summary>The longest stall, the one still going (no tick since the last) included. Call under the lock.</summary>
    private TimeSpan LongestLocked()
    {
        var sinceLast = Stopwatch.GetElapsedTime(_last) - Period;
        return sinceLast > _longest ? sinceLast : _longest;
    }

    private void Tick()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var late = Stopwatch.GetElapsedTime(_last, now) - Period;
            if (late > _longest)
            {
                _longest = late;
                _poolAtLongest = (ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount);
            }
            _last = now;
        }
    }
}
