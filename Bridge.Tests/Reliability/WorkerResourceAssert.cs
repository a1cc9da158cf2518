using Bridge.Tests.Support;
using Xunit.Abstractions;

namespace Bridge.Tests.Reliability;

/// <summary>What an idle worker holds, read from its gauges (and the emulator's open streams).</summary>
public sealed record WorkerResources(double Calls, double MediaStreams, double BedrockStreams, double RentedBuffers, double Timers, long EmulatorStreams)
{
    public static WorkerResources Read(InProcessMediaWorker worker)
    {
        // Timers of objects nobody holds any more (the test's own closed client connections) go with a collection.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var gauges = worker.Gauges.Read();
        double Gauge(string name) => gauges.TryGetValue(name, out var value) ? value : double.NaN;
        return new WorkerResources(
            Gauge("bridge.calls.active"), Gauge("bridge.media_streams.open"), Gauge("bridge.bedrock.streams.active"),
            Gauge("bridge.buffers.rented"), Gauge("bridge.timers.active"), worker.Emulator.Counters.OpenStreams);
    }

    public override string ToString() =>
        $"calls {Calls}, media streams {MediaStreams}, Bedrock streams {BedrockStreams} (emulator: {EmulatorStreams} open), rented buffers {RentedBuffers}, timers {Timers}";
}

/// <summary>Checks that everything calls held is given back once they have ended.</summary>
public static class WorkerResourceAssert
{
    /// <summary>
    /// Timers that come and go whatever the calls do, or appear once with the first call of a kind and stay: HTTP/2
    /// keep-alive and connection-pool timers, Kestrel's heartbeat, the test runner's own. A call holds several
    /// (pacing, timeouts), so a leak of even one per call stands far above this after the 1,000 calls of
    /// <see cref="RandomModelFaultTests"/>.
    /// </summary>
    private const int TimerNoise = 12;

    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(20);

    /// <summary>One short call, so that what lives for the process's life (connections, pools) exists; then the idle baseline.</summary>
    public static async Task<WorkerResources> WarmUpAsync(InProcessMediaWorker worker)
    {
        var call = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(1), CancellationToken.None, CancellationToken.None);
        await call.Result;
        var idle = await SettledAsync(worker, baseline: null);
        // Timers of whatever ran before (an earlier test's thousands of connections closing) take a while to go: the
        // baseline is the lowest count, once it has stopped falling for two seconds.
        var since = DateTime.UtcNow;
        var deadline = since + SettleTimeout;
        while (DateTime.UtcNow - since < TimeSpan.FromSeconds(2) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            var now = WorkerResources.Read(worker);
            if (now.Timers < idle.Timers)
            {
                idle = idle with { Timers = now.Timers };
                since = DateTime.UtcNow;
            }
        }
        return idle;
    }

    public static async Task BackToIdleAsync(InProcessMediaWorker worker, WorkerResources baseline, ITestOutputHelper output)
    {
        var idle = await SettledAsync(worker, baseline);
        output.WriteLine($"baseline: {baseline}");
        output.WriteLine($"after:    {idle}");
        Assert.True(IsIdle(idle, baseline), $"The worker did not give back what its calls held within {SettleTimeout.TotalSeconds:0} s. Baseline: {baseline}. Now: {idle}");
    }

    private static async Task<WorkerResources> SettledAsync(InProcessMediaWorker worker, WorkerResources? baseline)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        WorkerResources now;
        while (true)
        {
            now = WorkerResources.Read(worker);
            if (IsIdle(now, baseline) || DateTime.UtcNow > deadline)
            {
                return now;
            }
            await Task.Delay(100);
        }
    }

    private static bool IsIdle(WorkerResources now, WorkerResources? baseline) =>
        now is { Calls: 0, MediaStreams: 0, BedrockStreams: 0, EmulatorStreams: 0 } &&
        (baseline is null || (now.RentedBuffers <= baseline.RentedBuffers && now.Timers <= baseline.Timers + TimerNoise));
}
