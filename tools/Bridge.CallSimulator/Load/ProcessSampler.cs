using System.Diagnostics;

namespace Bridge.CallSimulator.Load;

/// <summary>
/// Samples another process's CPU (percent of one core, like top) and resident memory, once per
/// <see cref="Sample"/> call; on Linux the runtime reads both from /proc/&lt;pid&gt;.
/// </summary>
public sealed class ProcessSampler : IDisposable
{
    private readonly Process _process;
    private readonly TimeProvider _time;
    private TimeSpan _lastCpu;
    private long _lastTimestamp;
    private double _cpuSum;
    private int _samples;

    private readonly long _startedAt;

    /// <param name="warmUp">Memory samples before this (from the start) do not count toward <see cref="RssSlope"/>.</param>
    public ProcessSampler(int pid, TimeProvider time, TimeSpan warmUp = default)
    {
        RssSlope = new MemorySlope(warmUp);
        _process = Process.GetProcessById(pid);
        _time = time;
        _lastCpu = _process.TotalProcessorTime;
        _lastTimestamp = time.GetTimestamp();
        _startedAt = _lastTimestamp;
        MaxRssBytes = _process.WorkingSet64;
        Name = _process.ProcessName;
    }

    public string Name { get; }

    public double? LastCpuPercent { get; private set; }

    public double MaxCpuPercent { get; private set; }

    public double? MeanCpuPercent => _samples == 0 ? null : _cpuSum / _samples;

    public long LastRssBytes { get; private set; }

    public long MaxRssBytes { get; private set; }

    /// <summary>How resident memory moves after the warm-up (KB per minute): flat for a worker that leaks nothing.</summary>
    public MemorySlope RssSlope { get; }

    /// <summary>Reads the process once; false when it has exited.</summary>
    public bool Sample()
    {
        try
        {
            _process.Refresh();
            if (_process.HasExited)
            {
                return false;
            }
            var cpu = _process.TotalProcessorTime;
            var now = _time.GetTimestamp();
            var wall = _time.GetElapsedTime(_lastTimestamp, now);
            if (wall > TimeSpan.Zero)
            {
                var percent = (cpu - _lastCpu) / wall * 100;
                LastCpuPercent = percent;
                MaxCpuPercent = Math.Max(MaxCpuPercent, percent);
                _cpuSum += percent;
                _samples++;
            }
            _lastCpu = cpu;
            _lastTimestamp = now;
            LastRssBytes = _process.WorkingSet64;
            MaxRssBytes = Math.Max(MaxRssBytes, LastRssBytes);
            RssSlope.Add(_time.GetElapsedTime(_startedAt, now), LastRssBytes);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose() => _process.Dispose();
}
