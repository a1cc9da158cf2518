using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Bridge.Tests.Support;
using Xunit.Abstractions;

namespace Bridge.Tests.Reliability;

/// <summary>
/// Many short concurrent calls while the emulator fails a random share of their model streams in every way it
/// can: each call recovers or ends politely, and afterwards the worker holds nothing — no call, WebSocket, model
/// stream, pooled buffer or timer beyond its idle baseline. The fault plans come from a fixed seed, so every run (and
/// CI) throws the same faults; FAULT_SEED and FAULT_CALLS (environment) try another seed or count, and a failure prints
/// the command that replays it.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class RandomModelFaultTests(ITestOutputHelper output)
{
    private const int Concurrent = 100;

    /// <summary>The seed of every run that does not ask for another.</summary>
    public const int DefaultSeed = 13_0001;
    private static readonly TimeSpan CallLength = TimeSpan.FromSeconds(1.5);

    /// <summary>How long a call that has had no answer yet stays on before it counts as silent: a hang, not a speed.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Fault plans and their weights; a trigger after 7 to 40 input events lands anywhere in a call's 1.5 s.</summary>
    private static readonly (string Plan, int Weight)[] Mix =
    [
        ("", 30),
        ("throttle", 10),
        ("exception=modelStreamErrorException", 10),
        ("exception=internalServerException", 8),
        ("reset", 8),
        ("corrupt-crc", 8),
        ("exception=modelTimeoutException", 8),
        ("exception=throttlingException", 6),
        ("exception=serviceUnavailableException", 6),
        ("exception=validationException", 6),
    ];

    [Fact]
    public async Task After_a_thousand_calls_with_random_model_faults_nothing_is_left_behind()
    {
        var calls = int.TryParse(Environment.GetEnvironmentVariable("FAULT_CALLS"), CultureInfo.InvariantCulture, out var n) ? n : 1000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FAULT_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var replay = $"replay: FAULT_SEED={seed} FAULT_CALLS={calls} dotnet test Bridge.Tests --filter \"FullyQualifiedName~{nameof(RandomModelFaultTests)}\"";
        output.WriteLine(replay);

        // Every call sends its start at once; a starved machine must not turn a slow start into a refusal.
        await using var worker = await InProcessMediaWorker.StartAsync(settings: new Dictionary<string, string?> { ["Twilio:MediaStream:StartTimeout"] = "00:00:30" });
        var baseline = await WorkerResourceAssert.WarmUpAsync(worker);
        var counters = worker.Emulator.Counters;
        var (exceptions, resets, refused) = (counters.ExceptionsSent, counters.StreamsReset, counters.RequestsRefused);
        var random = new Random(seed);
        for (var i = 0; i < calls; i++)
        {
            worker.Emulator.Faults.InjectIntoNextStream(RandomPlan(random));
        }

        var outcomes = new ConcurrentDictionary<CallOutcome, int>();
        var broken = new ConcurrentBag<string>();
        var silent = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, calls), new ParallelOptions { MaxDegreeOfParallelism = Concurrent }, async (index, _) =>
        {
            // The caller talks for the call's length, and stays on until the bridge has answered once: a call that
            // recovered slowly on a busy machine is not taken for one that went on without audio.
            using var hangUp = new CancellationTokenSource();
            var call = await LoopbackCall.StartAsync(worker.Streams, Patience, hangUp.Token, CancellationToken.None);
            await Task.WhenAll(Task.Delay(CallLength), call.FirstAudioAsync(CancellationToken.None));
            await hangUp.CancelAsync();
            var result = await call.Result.WaitAsync(TimeSpan.FromSeconds(60));
            var outcome = CallOutcomes.Of(result);
            outcomes.AddOrUpdate(outcome, 1, (_, c) => c + 1);
            if (outcome == CallOutcome.Broken)
            {
                broken.Add($"call {index}: {CallOutcomes.Describe(result)}");
            }
            else if (outcome == CallOutcome.Recovered && call.Frames.Returned == 0)
            {
                silent.Add($"call {index}: no audio came back in {result.Duration.TotalSeconds:0.0} s of the call");
            }
        });

        output.WriteLine($"{calls} calls in {clock.Elapsed.TotalSeconds:0.0} s, {Concurrent} at a time: " +
            string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")) +
            $"; the emulator sent {counters.ExceptionsSent - exceptions} exception frames, reset {counters.StreamsReset - resets} streams, refused {counters.RequestsRefused - refused} opens");
        Assert.True(broken.IsEmpty, $"{replay}\n{broken.Count} calls neither recovered nor ended politely:\n" + string.Join('\n', broken.Take(10)));
        Assert.True(silent.IsEmpty, $"{replay}\n{silent.Count} calls went on without audio:\n" + string.Join('\n', silent.Take(10)));
        Assert.True(outcomes.GetValueOrDefault(CallOutcome.Recovered) > 0 && outcomes.GetValueOrDefault(CallOutcome.EndedPolitely) > 0,
            $"{replay}\nthe faults should leave some calls recovered and end others");
        await WorkerResourceAssert.BackToIdleAsync(worker, baseline, output);
    }

    private static string RandomPlan(Random random)
    {
        var pick = random.Next(Mix.Sum(m => m.Weight));
        foreach (var (plan, weight) in Mix)
        {
            if ((pick -= weight) < 0)
            {
                return plan is "" or "throttle" ? plan : $"{plan}@{random.Next(7, 41)}";
            }
        }
        throw new UnreachableException();
    }
}
