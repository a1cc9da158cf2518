using System.Diagnostics;
using Bridge.Tests.Support;
using Xunit.Abstractions;

namespace Bridge.Tests.Reliability;

/// <summary>
/// The caller goes away mid-call while the model is speaking (in loopback its audio content stays open and its
/// audio keeps coming back): the model stream is closed within a second, measured at the emulator — from the
/// moment the caller left to the moment the emulator's stream ended.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class CallerFaultTests(WarmedUpWorker worker, ITestOutputHelper output) : IClassFixture<WarmedUpWorker>
{
    private const int Repeats = 5;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    public enum Departure
    {
        /// <summary>The WebSocket drops without <c>stop</c> (the TCP connection is aborted).</summary>
        SocketDropped,

        /// <summary>Twilio sends <c>stop</c> (the caller hung up) and closes the socket.</summary>
        StopWhileTheModelSpeaks,
    }

    [Theory]
    [InlineData(Departure.SocketDropped)]
    [InlineData(Departure.StopWhileTheModelSpeaks)]
    public async Task The_model_stream_is_closed_within_a_second_of_the_caller_leaving(Departure departure)
    {
        var emulator = worker.Instance.Emulator;
        var times = new List<TimeSpan>();
        using var stalls = new SchedulingStallProbe();
        for (var i = 0; i < Repeats; i++)
        {
            using var hangUp = new CancellationTokenSource();
            var call = await LoopbackCall.StartAsync(worker.Instance.Streams, TimeSpan.FromSeconds(30), hangUp.Token, CancellationToken.None);
            await WaitUntilAsync(() => call.FirstMediaAt != 0 && emulator.Counters.OpenStreams == 1, TimeSpan.FromSeconds(10));
            await Task.Delay(500);
            Assert.Equal(1, emulator.Counters.OpenStreams);

            var left = Stopwatch.GetTimestamp();
            if (departure == Departure.SocketDropped)
            {
                call.Socket.Abort();
            }
            else
            {
                await hangUp.CancelAsync();
            }
            await WaitUntilAsync(() => emulator.Counters.OpenStreams == 0, TimeSpan.FromSeconds(10));
            times.Add(Stopwatch.GetElapsedTime(left));
            await call.Result;
        }

        output.WriteLine($"{departure}: model stream closed {string.Join(", ", times.Select(t => $"{t.TotalMilliseconds:0} ms"))} after the caller left");
        var allowed = stalls.Allow(Limit);
        Assert.All(times, t => Assert.True(t < allowed,
            $"{departure}: the model stream stayed open {t.TotalMilliseconds:0} ms after the caller left (allowed: {allowed.TotalMilliseconds:0} ms; {stalls.Describe()})"));
        await WorkerResourceAssert.BackToIdleAsync(worker.Instance, worker.Baseline, output);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"not within {timeout.TotalSeconds:0} s");
            await Task.Delay(2);
        }
    }
}
