using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Bridge.TwilioStandIn.Media;
using Bridge.Emulator;
using Bridge.Tests.Support;
using Xunit.Abstractions;

namespace Bridge.Tests.Reliability;

/// <summary>
/// A real worker process, live calls, then a real SIGTERM (as ECS stops a task): readiness turns false at once,
/// new calls are refused, every live call runs to its own end (the caller's hang-up), and then the process exits.
/// DRAIN_TIMEOUT (environment) sets Calls:DrainTimeout; at 00:00:00 the calls are ended early and this fails.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class DrainTests(ITestOutputHelper output)
{
    /// <summary>Longer than the drain deadline's 10 s goodbye after SIGTERM, so that ending calls early shows.</summary>
    private static readonly TimeSpan CallLength = TimeSpan.FromSeconds(16);

    private static readonly TimeSpan ReadinessLimit = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public async Task On_SIGTERM_the_worker_stops_admitting_at_once_and_exits_after_its_live_calls_end(int calls)
    {
        var drainTimeout = Environment.GetEnvironmentVariable("DRAIN_TIMEOUT") ?? "00:01:00";
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Mode = EmulatorMode.Loopback }, TimeProvider.System, _ => { });
        await using var worker = await WorkerProcess.StartAsync(emulator, new Dictionary<string, string> { ["Calls__DrainTimeout"] = drainTimeout }, TimeSpan.FromSeconds(60));

        using var stalls = new SchedulingStallProbe();
        var live = new List<LoopbackCall>();
        for (var i = 0; i < calls; i++)
        {
            live.Add(await LoopbackCall.StartAsync(worker.Streams, CallLength + TimeSpan.FromMilliseconds(40 * i), CancellationToken.None, CancellationToken.None));
        }
        foreach (var call in live)
        {
            await WaitUntilAsync(() => call.FirstMediaAt != 0, TimeSpan.FromSeconds(15));
        }

        var terminated = Stopwatch.GetTimestamp();
        worker.Terminate();
        HttpStatusCode? readiness;
        while ((readiness = await worker.ReadinessAsync(CancellationToken.None)) == HttpStatusCode.OK)
        {
            Assert.True(Stopwatch.GetElapsedTime(terminated) < stalls.Allow(ReadinessLimit),
                $"readiness still said OK {stalls.Allow(ReadinessLimit).TotalMilliseconds:0} ms after SIGTERM ({stalls.Describe()})");
            await Task.Delay(10);
        }
        // Not a refused connection: the load balancer must hear "not ready" from a worker that still serves its calls.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness);
        var notReadyAfter = Stopwatch.GetElapsedTime(terminated);
        var refusedWith = await NewCallStatusAsync(worker.Streams);

        var results = await Task.WhenAll(live.Select(c => c.Result.WaitAsync(TimeSpan.FromSeconds(60))));
        var lastEnded = Stopwatch.GetElapsedTime(terminated);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exitedAfter = Stopwatch.GetElapsedTime(terminated);

        output.WriteLine($"Calls:DrainTimeout={drainTimeout}, {calls} live calls: not ready {notReadyAfter.TotalMilliseconds:0} ms after SIGTERM; a new call got {refusedWith}; " +
            $"the last call ended {lastEnded.TotalSeconds:0.0} s and the process exited ({exitCode}) {exitedAfter.TotalSeconds:0.0} s after SIGTERM");
        output.WriteLine("ends: " + string.Join(", ", results.GroupBy(r => $"{r.End} {r.CloseStatus}").Select(g => $"{g.Count()} × {g.Key}")) +
            $"; frames lost: {live.Sum(c => c.Lost)} of {live.Sum(c => c.Frames.Sent)}, longest silence {live.Max(c => c.LongestSilence).TotalMilliseconds:0} ms");
        foreach (var line in worker.Output.Select(o => o.Line).Where(l => l.Contains("Drain", StringComparison.Ordinal)))
        {
            output.WriteLine("worker: " + line.Trim());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedWith);
        for (var i = 0; i < calls; i++)
        {
            Assert.True(results[i].End == StreamEnd.MaxDuration,
                $"call {i + 1} was cut: {results[i].End} {results[i].CloseStatus} \"{results[i].CloseDescription}\" after {results[i].Duration.TotalSeconds:0.0} s of its {(CallLength + TimeSpan.FromMilliseconds(40 * i)).TotalSeconds:0.0} s");
            Assert.True(live[i].LongestSilence < stalls.Allow(TimeSpan.FromSeconds(1)),
                $"call {i + 1} went silent for {live[i].LongestSilence.TotalMilliseconds:0} ms (allowed: {stalls.Allow(TimeSpan.FromSeconds(1)).TotalMilliseconds:0} ms; {stalls.Describe()})");
        }
        Assert.True(exitCode == 0, $"the worker {(exitCode is null ? "did not exit" : $"exited with {exitCode}")} after its calls ended");
    }

    [Fact]
    public async Task A_call_still_up_at_the_drain_deadline_is_asked_to_say_goodbye_then_closed_with_1001()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Mode = EmulatorMode.Loopback }, TimeProvider.System, _ => { });
        await using var worker = await WorkerProcess.StartAsync(emulator, new Dictionary<string, string> { ["Calls__DrainTimeout"] = "00:00:01" }, TimeSpan.FromSeconds(60));
        var call = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(60), CancellationToken.None, CancellationToken.None);
        await WaitUntilAsync(() => call.FirstMediaAt != 0, TimeSpan.FromSeconds(15));

        var terminated = Stopwatch.GetTimestamp();
        worker.Terminate();
        var result = await call.Result.WaitAsync(TimeSpan.FromSeconds(40));
        var endedAfter = Stopwatch.GetElapsedTime(terminated);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        output.WriteLine($"ended {endedAfter.TotalSeconds:0.0} s after SIGTERM: {result.End} {result.CloseStatus} \"{result.CloseDescription}\"; exit {exitCode}");
        // The loopback "model" never says goodbye, so the line closes 10 s after the goodbye was asked for — with a
        // close frame Twilio can act on (its connect-ended apologises), not a dropped connection.
        Assert.Equal(StreamEnd.ServerClosed, result.End);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, result.CloseStatus);
        Assert.InRange(endedAfter.TotalSeconds, 10, 20);
        Assert.Equal(0, exitCode);
    }

    private static async Task<HttpStatusCode> NewCallStatusAsync(DirectStream streams)
    {
        using var socket = streams.NewSocket();
        try
        {
            await socket.ConnectAsync(streams.MediaUrl, CancellationToken.None);
            return socket.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < timeout, $"not within {timeout.TotalSeconds:0} s");
            await Task.Delay(20);
        }
    }
}
