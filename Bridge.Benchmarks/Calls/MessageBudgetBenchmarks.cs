using BenchmarkDotNet.Attributes;
using Bridge.MediaWorker.Calls;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Benchmarks.Calls;

/// <summary>
/// What the message budget adds to every message a call receives (about 75 a call-second): the timestamp the call
/// takes, and <see cref="CallLimits.AcceptMessage"/> on the accepted path (messages one budget interval apart).
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class MessageBudgetBenchmarks
{
    private CallLimits _limits = null!;
    private long _now;
    private long _interval;

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        _now = time.GetTimestamp();
        _interval = time.TimestampFrequency / CallLimits.MessagesPerSecond;
        _limits = new CallLimits(new CallOptions(), _now, time, hangUp: null, NullLogger.Instance);
    }

    /// <summary>The budget's own work on a message it accepts.</summary>
    [Benchmark(Baseline = true)]
    public bool AcceptMessage()
    {
        _now += _interval;
        return _limits.AcceptMessage(_now);
    }

    /// <summary>The timestamp the call takes for it (<c>TimeProvider.System</c>).</summary>
    [Benchmark]
    public long Timestamp() => TimeProvider.System.GetTimestamp();
}
