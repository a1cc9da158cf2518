using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Bridge.TwilioStandIn.Media;
using Bridge.Tests.Support;
using Xunit.Abstractions;

namespace Bridge.Tests.Reliability;

/// <summary>
/// Thousands of malformed inputs on concurrent streams while good calls run on the same worker: each malformed
/// stream is closed with the close status its fault deserves and a logged reason; the good calls lose nothing. The
/// inputs come from a fixed seed, so every run (and CI) sends the same ones; FUZZ_SEED and FUZZ_INPUTS (environment) try
/// another seed or count, and a failure prints the command that replays it.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class MalformedInputFuzzTests(ITestOutputHelper output)
{
    private const int GoodCalls = 4;

    /// <summary>The seed of every run that does not ask for another.</summary>
    public const int DefaultSeed = 13_0002;
    private const int Lanes = 24;
    private static readonly TimeSpan PerInputTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A caller hears a gap once returned audio stops for longer than the playback lead (300 ms); the bar is one
    /// second beyond the longest stall the machine imposed on every thread of the process (a shared 2-core runner
    /// takes a few hundred ms now and then) — a closed or stalled call stops for the rest of the test.
    /// </summary>
    private static readonly TimeSpan LongestAllowedSilence = TimeSpan.FromSeconds(1);

    /// <summary>How long the good calls stay on after the fuzz for the audio they sent during it to come back.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Malformed_inputs_close_only_their_own_streams_while_good_calls_keep_their_audio()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_INPUTS"), CultureInfo.InvariantCulture, out var n) ? n : 10_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var replay = $"replay: FUZZ_SEED={seed} FUZZ_INPUTS={count} dotnet test Bridge.Tests --filter \"FullyQualifiedName~{nameof(MalformedInputFuzzTests)}\"";
        output.WriteLine(replay);

        await using var worker = await InProcessMediaWorker.StartAsync();
        var baseline = await WorkerResourceAssert.WarmUpAsync(worker);
        using var stalls = new SchedulingStallProbe();
        using var hangUp = new CancellationTokenSource();
        var good = new List<LoopbackCall>();
        for (var i = 0; i < GoodCalls; i++)
        {
            good.Add(await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromMinutes(10), hangUp.Token, CancellationToken.None));
        }

        var inputs = MalformedInputs.Generate(seed, count).ToList();
        var wrong = new ConcurrentBag<string>();
        var byKind = new ConcurrentDictionary<MalformedKind, int>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, inputs.Count), new ParallelOptions { MaxDegreeOfParallelism = Lanes }, async (index, _) =>
        {
            var input = inputs[index];
            using var timeout = new CancellationTokenSource(PerInputTimeout);
            var outcome = await MalformedInputSender.SendAsync(worker.Streams, input, timeout.Token);
            byKind.AddOrUpdate(input.Kind, 1, (_, c) => c + 1);
            var expected = input.IsAnsweredBy(outcome);
            if (!expected)
            {
                wrong.Add($"#{index} {input}: expected {(input.Expected?.ToString() ?? "403")}, got {outcome.Describe()}");
            }
        });
        var fuzzTime = clock.Elapsed;
        // Judged: the audio the good calls sent while the fuzz ran, once it has had its chance to come back.
        var fuzzEnded = Stopwatch.GetTimestamp();
        await Task.WhenAll(good.Select(c => c.ReturnOfSentBeforeAsync(fuzzEnded, Patience)));
        await hangUp.CancelAsync();
        var results = await Task.WhenAll(good.Select(c => c.Result));
        var lost = good.Select(c => c.Frames.LostBefore(fuzzEnded)).ToArray();

        output.WriteLine($"{inputs.Count} malformed inputs in {fuzzTime.TotalSeconds:0.0} s ({inputs.Count / fuzzTime.TotalSeconds:0} per second), {Lanes} at a time: " +
            string.Join(", ", byKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        for (var i = 0; i < good.Count; i++)
        {
            output.WriteLine($"good call {i + 1}: {results[i].End}, {good[i].Frames.Sent} frames sent, {good[i].Frames.Returned} back, " +
                $"{lost[i]} lost of those sent during the fuzz, longest silence {good[i].LongestSilence.TotalMilliseconds:0} ms");
        }
        var allowedSilence = stalls.Allow(LongestAllowedSilence);
        if (lost.Any(l => l > 0) || good.Any(c => c.LongestSilence >= allowedSilence))
        {
            foreach (var line in good.SelectMany(c => CallLogLines.About(worker.Logs, c.Start.CallSid)))
            {
                output.WriteLine("worker: " + line);
            }
        }
        output.WriteLine(stalls.Describe());

        Assert.True(wrong.IsEmpty, $"{replay}\n{wrong.Count} of {inputs.Count} inputs were not answered as they should be:\n" + string.Join('\n', wrong.Take(15)));
        for (var i = 0; i < good.Count; i++)
        {
            Assert.Equal(StreamEnd.CallerHungUp, results[i].End);
            Assert.True(good[i].Frames.Returned > 0, $"good call {i + 1} got no audio back");
            Assert.True(lost[i] == 0, $"{replay}\ngood call {i + 1} lost {lost[i]} frames");
            Assert.True(good[i].LongestSilence < allowedSilence,
                $"{replay}\ngood call {i + 1} went silent for {good[i].LongestSilence.TotalMilliseconds:0} ms (allowed: {allowedSilence.TotalMilliseconds:0} ms; {stalls.Describe()})");
        }
        // Last: a stream the WebSocket itself refused is logged just after its close frame left.
        await WorkerResourceAssert.BackToIdleAsync(worker, baseline, output);
        // A frame the WebSocket itself refuses aborts the connection; now and then the abort reaches the call as a
        // cancellation rather than as the WebSocket's error, and that call ends without a reason of its own.
        var reasons = worker.Logs.GetSnapshot().Count(e => e.Message.StartsWith("Refused a media stream (", StringComparison.Ordinal) || e.Message.StartsWith("Closing the call: ", StringComparison.Ordinal));
        var mustExplain = inputs.Count(i => !i.RefusedByTheWebSocket);
        output.WriteLine($"{reasons} reasons logged for {inputs.Count} refused streams");
        Assert.True(reasons >= mustExplain && reasons <= inputs.Count, $"{replay}\n{reasons} logged reasons for {inputs.Count} refused streams ({mustExplain} refused by the worker itself)");
    }
}
