using Bridge.Tests.Support;
using Xunit.Abstractions;

namespace Bridge.Tests.Reliability;

/// <summary>
/// Each Bedrock fault the emulator can inject, on one call: the call recovers on a new stream carrying the
/// conversation (and its audio keeps coming back), or it ends politely so that Twilio plays the apology.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class ModelFaultTests(WarmedUpWorker worker, ITestOutputHelper output) : IClassFixture<WarmedUpWorker>
{
    private static readonly TimeSpan CallLength = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The audio judged: sent after the fault (about 0.8 s in) and its recovery, and before the caller stops talking.
    /// After a recovery the session replays the caller's unanswered utterance to the new stream (so the model hears
    /// it whole); the loopback echoes it again, and the rest of the call comes back later by that much.
    /// </summary>
    private static readonly (TimeSpan From, TimeSpan To) Judged = (TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(3));

    /// <summary>How long the caller stays on for the judged audio to come back: a loss, not a speed, fails the call.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The fault fires after this many input events: the start sequence (6) and about 0.8 s of caller audio.</summary>
    private const int FaultAfterEvents = 25;

    public static TheoryData<string, string, CallOutcome> Faults => new()
    {
        { "throttling on open (HTTP 429)", "throttle", CallOutcome.Recovered },
        { "an exception frame mid-call: System instability", $"exception=modelStreamErrorException@{FaultAfterEvents}", CallOutcome.Recovered },
        { "an exception frame mid-call: internal error (RST_STREAM)", $"exception=internalServerException@{FaultAfterEvents}", CallOutcome.Recovered },
        { "an exception frame mid-call: throttling", $"exception=throttlingException@{FaultAfterEvents}", CallOutcome.Recovered },
        { "an exception frame mid-call: service unavailable", $"exception=serviceUnavailableException@{FaultAfterEvents}", CallOutcome.Recovered },
        { "a session timeout", $"exception=modelTimeoutException@{FaultAfterEvents}", CallOutcome.Recovered },
        { "a stream reset (RST_STREAM)", $"reset@{FaultAfterEvents}", CallOutcome.Recovered },
        { "a frame with a corrupt CRC", $"corrupt-crc@{FaultAfterEvents}", CallOutcome.Recovered },
        { "a validation exception (not retryable)", $"exception=validationException@{FaultAfterEvents}", CallOutcome.EndedPolitely },
        { "throttling on every open attempt", "throttle|throttle|throttle|throttle", CallOutcome.EndedPolitely },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_call_recovers_from_a_transient_fault_or_ends_politely(string fault, string plans, CallOutcome expected)
    {
        var emulator = worker.Instance.Emulator;
        var opened = emulator.Counters.StreamsOpened;
        foreach (var plan in plans.Split('|'))
        {
            emulator.Faults.InjectIntoNextStream(plan);
        }

        // The caller talks for the call's length, then stays on until the judged audio is back (on a busy machine a
        // recovery takes longer, and the audio after it comes back later) or the worker has ended the call.
        using var hangUp = new CancellationTokenSource();
        var call = await LoopbackCall.StartAsync(worker.Instance.Streams, Patience + CallLength, hangUp.Token, CancellationToken.None);
        await Task.WhenAny(Task.Delay(CallLength), call.Result);
        await call.ReturnOfSentBeforeAsync(call.SentAtOffset(Judged.To), Patience);
        await hangUp.CancelAsync();
        var result = await call.Result.WaitAsync(TimeSpan.FromSeconds(30));
        var streams = emulator.Counters.StreamsOpened - opened;
        var flowing = call.ReturnedShareOfSentBetween(Judged.From, Judged.To);
        output.WriteLine($"{fault}: {CallOutcomes.Describe(result)}; {streams} model streams; {call.Frames.Sent} frames sent, {call.Frames.Returned} back; " +
            $"{flowing:P0} of the audio sent from {Judged.From.TotalSeconds:0.0} s to {Judged.To.TotalSeconds:0.0} s came back");

        Assert.True(CallOutcomes.Of(result) == expected, $"{fault}: expected {expected}, the caller saw {CallOutcomes.Describe(result)}");
        Assert.Equal(0, emulator.Faults.Pending);
        if (expected == CallOutcome.Recovered)
        {
            Assert.True(flowing >= 0.9, $"{fault}: after the fault only {flowing:P0} of the caller's audio came back");
            Assert.True(streams >= (plans.StartsWith("throttle", StringComparison.Ordinal) ? 1 : 2), $"{fault}: {streams} model streams opened");
        }
        await WorkerResourceAssert.BackToIdleAsync(worker.Instance, worker.Baseline, output);
    }
}
