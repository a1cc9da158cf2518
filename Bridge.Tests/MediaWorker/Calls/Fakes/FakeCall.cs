using System.Diagnostics;
using Bridge.Audio;
using Bridge.MediaWorker.Calls;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.TwilioMedia;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.MediaWorker.Calls.Fakes;

/// <summary>
/// One <see cref="BridgedCall"/> between a <see cref="FakeTwilioStream"/> and a <see cref="FakeConversation"/>, on a
/// <see cref="FakeTimeProvider"/>: the test moves the clock (<see cref="StepAsync"/>, 20 ms at a time by default) and,
/// after each step, waits until the call has caught up (every frame and model event handled, nothing left to send).
/// Nothing runs on the wall clock, so what the caller hears is the same on a busy machine as on a quiet one; a call
/// that never catches up fails after <see cref="Patience"/>, which measures nothing.
/// </summary>
internal sealed class FakeCall : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);

    private readonly ServiceProvider _services;

    private FakeCall(CallOptions options, IEnumerable<ICallTool> tools, TimeSpan? agentMaxDuration, Func<CancellationToken, Task>? hangUp)
    {
        Options = options;
        Twilio = new FakeTwilioStream(Time);
        Model = new FakeConversation(Audio.ModelInputRate, Time);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Meters = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var registry = new CallRegistry(Microsoft.Extensions.Options.Options.Create(options), new ReadinessState(), NullLogger<CallRegistry>.Instance);
        var start = new TwilioStartInfo("MZ0123456789abcdef0123456789abcdef", "CA0123456789abcdef0123456789abcdef",
            "AC0123456789abcdef0123456789abcdef", ["inbound"], new Dictionary<string, string>(), "audio/x-mulaw", 8000, 1);
        var limits = new CallLimits(options, Time.GetTimestamp(), Time, hangUp, Log, agentMaxDuration);
        Call = new BridgedCall(Twilio, start, Model, tools, Audio, options, limits, new CallTelemetry(Meters, registry), Time, Log);
    }

    public FakeTimeProvider Time { get; } = new(StartedAt);

    /// <summary>The calls' figures on fake time are in 40 ms chunks to the model (the default until issue 18's round 4).</summary>
    public AudioOptions Audio { get; } = new() { ModelInputRate = 8_000, ModelOutputRate = FakeConversation.OutputRate, ModelInputChunkMilliseconds = 40 };

    public CallOptions Options { get; }

    public FakeTwilioStream Twilio { get; }

    public FakeConversation Model { get; }

    public FakeLogger Log { get; } = new();

    public System.Diagnostics.Metrics.IMeterFactory Meters { get; }

    public BridgedCall Call { get; }

    public CancellationTokenSource EndCallsRequested { get; } = new();

    public Task<CallEndReason> Running { get; private set; } = null!;

    /// <summary>How far the test has stepped the clock since the call's start.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The clock's time since the call's start, as a timer's callback sees it.</summary>
    public TimeSpan Now => Time.GetUtcNow() - StartedAt;

    private static readonly DateTimeOffset StartedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FakeCall Start(CallOptions? options = null, IEnumerable<ICallTool>? tools = null, TimeSpan? agentMaxDuration = null,
        Func<CancellationToken, Task>? hangUp = null)
    {
        var call = new FakeCall(options ?? new CallOptions(), tools ?? [], agentMaxDuration, hangUp);
        call.Running = call.Call.RunAsync(call.EndCallsRequested.Token, CancellationToken.None);
        return call;
    }

    /// <summary>The measurements of one of the call's instruments (meter <c>Bridge.MediaWorker</c>) from now on.</summary>
    public MetricCollector<T> Metric<T>(string instrument) where T : struct =>
        new(Meters, CallTelemetry.MeterName, instrument, Time);

    /// <summary>Moves the clock by <paramref name="span"/>, a step at a time, letting the call catch up after each.</summary>
    public async Task StepAsync(TimeSpan span, TimeSpan? step = null)
    {
        var size = step ?? Step;
        await SettleAsync();
        for (var moved = TimeSpan.Zero; moved < span; moved += size)
        {
            Time.Advance(size);
            Elapsed += size;
            await SettleAsync();
        }
    }

    /// <summary>Steps until <paramref name="done"/> holds; fails past <paramref name="within"/> of the call's clock.</summary>
    public async Task StepUntilAsync(Func<bool> done, TimeSpan within, string what, TimeSpan? step = null)
    {
        var until = Elapsed + within;
        await SettleAsync();
        while (!done())
        {
            Assert.True(Elapsed < until, $"not within {within.TotalSeconds:0.###} s of the call's clock: {what}");
            await StepAsync(step ?? Step, step);
        }
    }

    /// <summary>Waits (on the wall clock, measuring nothing) until the call has handled everything it was given and sent what it may.</summary>
    public async Task SettleAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var stable = 0;
        for (var tries = 0; stable < 2; tries++)
        {
            stable = Running.IsCompleted || (Twilio.IsIdle && Model.Events.Count == 0 && Call.IsIdle) ? stable + 1 : 0;
            Assert.True(Stopwatch.GetElapsedTime(started) < Patience, "the call did not catch up with the clock");
            if (stable == 0 && tries > 10)
            {
                await Task.Delay(1);
            }
            else
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>Waits (on the wall clock, measuring nothing) for work off the call's clock, a tool's, to get there.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < Patience, "did not get there: " + what);
            await Task.Delay(1);
        }
    }

    /// <summary>The caller hangs up; returns why the call ended.</summary>
    public async Task<CallEndReason> HangUpAsync()
    {
        Twilio.HangsUp();
        return await EndedAsync();
    }

    public async Task<CallEndReason> EndedAsync() => await Running.WaitAsync(Patience);

    /// <summary>The <c>CallSummary</c> event's value <paramref name="name"/>.</summary>
    public string? Summary(string name) =>
        Assert.Single(Log.Collector.GetSnapshot(), r => r.Id.Name == "CallSummary").GetStructuredStateValue(name);

    public async ValueTask DisposeAsync()
    {
        if (!Running.IsCompleted)
        {
            Twilio.HangsUp();
            await Running.WaitAsync(Patience);
        }
        Twilio.Dispose();
        EndCallsRequested.Dispose();
        await _services.DisposeAsync();
    }
}
