using System.Collections.Concurrent;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging;

namespace Bridge.CallSimulator.Load;

/// <summary>
/// Runs <see cref="LoadOptions.Calls"/> simulated calls against a local system, started evenly over the ramp and
/// all hung up when the duration is over, each sending <see cref="TaggedCallerAudio"/> so that a loopback model's
/// answers can be matched frame by frame. Bounded in count and in time; calls only loopback addresses.
/// </summary>
public sealed partial class LoadTest(HttpClient http, TimeProvider time, ILoggerFactory loggers, LiveCalls? liveCalls = null)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);

    public async Task<LoadResult> RunAsync(LoadOptions options, Action<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var logger = loggers.CreateLogger<LoadTest>();
        var latencies = new LatencyHistogram();
        var matchers = new ConcurrentBag<LoopbackFrameMatcher>();
        var failures = new ConcurrentDictionary<string, int>();
        var summaries = new ConcurrentBag<CallSummary>();
        var startedAt = time.GetUtcNow();
        var origin = time.GetTimestamp();
        int started = 0, active = 0, failed = 0;

        // A hard stop well after the planned end, whatever the system under test does.
        using var deadline = new CancellationTokenSource(options.Duration + TimeSpan.FromSeconds(30), time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var sampler = options.WorkerPid is { } pid ? new ProcessSampler(pid, time, options.Ramp + options.WarmUp) : null;
        var simulation = new CallSimulation(http, time, loggers.CreateLogger<CallSimulation>(), liveCalls);

        async Task RunCallAsync(int index)
        {
            var offset = options.Calls == 1 ? TimeSpan.Zero : options.Ramp * index / options.Calls;
            await Task.Delay(offset, time, stop.Token);
            var matcher = new LoopbackFrameMatcher(time, latencies, options.LateAfter);
            matchers.Add(matcher);
            var callLength = options.Duration - offset;
            Interlocked.Increment(ref started);
            Interlocked.Increment(ref active);
            try
            {
                var summary = await simulation.RunAsync(new CallSimulationOptions
                {
                    WebhookUrl = options.WebhookUrl,
                    AuthToken = options.AuthToken,
                    AccountSid = options.AccountSid,
                    Routes = options.Routes,
                    From = $"+1555{index:D7}",
                    LoopbackOnly = true,
                    Traced = false,
                    Media = new MediaStreamOptions
                    {
                        Audio = new TaggedCallerAudio(callLength),
                        MaxDuration = callLength,
                        RecordHeardAudio = false,
                        BatchWrites = options.BatchWrites,
                    },
                }, matcher, stop.Token);
                summaries.Add(summary);
                if (EndedEarly(summary) is { } reason)
                {
                    Interlocked.Increment(ref failed);
                    failures.AddOrUpdate(reason, 1, (_, n) => n + 1);
                    LogCallFailed(logger, summary.CallSid, reason);
                }
            }
            finally
            {
                Interlocked.Decrement(ref active);
            }
        }

        LoadProgress Snapshot() => new(
            time.GetElapsedTime(origin), Volatile.Read(ref active), Volatile.Read(ref started), Volatile.Read(ref failed),
            matchers.Sum(m => m.Sent), matchers.Sum(m => m.Returned),
            latencies.Percentile(50), latencies.Percentile(95), latencies.Percentile(99),
            sampler?.LastCpuPercent, sampler is null ? null : sampler.LastRssBytes / 1048576.0);

        var calls = Task.WhenAll(Enumerable.Range(0, options.Calls).Select(RunCallAsync));
        using (var timer = new PeriodicTimer(SampleEvery / 4, time))
        {
            var sampleDue = time.GetTimestamp();
            while (!calls.IsCompleted)
            {
                await Task.WhenAny(calls, timer.WaitForNextTickAsync(CancellationToken.None).AsTask());
                if (sampler is not null && time.GetElapsedTime(sampleDue) >= SampleEvery)
                {
                    sampler.Sample();
                    sampleDue = time.GetTimestamp();
                }
                progress?.Invoke(Snapshot());
            }
        }
        try
        {
            await calls;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            failures.AddOrUpdate("stopped before the end (cancelled or past the hard deadline)", 1, (_, n) => n + 1);
        }
        progress?.Invoke(Snapshot());

        var result = new LoadResult
        {
            StartedAt = startedAt,
            DurationSeconds = Math.Round(time.GetElapsedTime(origin).TotalSeconds, 3),
            CallsPlanned = options.Calls,
            CallsStarted = started,
            CallsCompleted = summaries.Count(s => EndedEarly(s) is null),
            CallsFailed = failed,
            Failures = new SortedDictionary<string, int>(failures),
            FramesSent = matchers.Sum(m => m.Sent),
            FramesMeasured = matchers.Sum(m => m.SentBefore(MeasuredUntil(m, options))),
            FramesReturned = matchers.Sum(m => m.Returned),
            FramesLost = matchers.Sum(m => m.LostBefore(MeasuredUntil(m, options))),
            FramesLate = matchers.Sum(m => m.Late),
            LateAfterMs = options.LateAfter.TotalMilliseconds,
            FramesDuplicated = matchers.Sum(m => m.Duplicates),
            FramesOutOfOrder = matchers.Sum(m => m.OutOfOrder),
            UnknownFrames = matchers.Sum(m => m.Unknown),
            LatencyP50Ms = latencies.Percentile(50),
            LatencyP95Ms = latencies.Percentile(95),
            LatencyP99Ms = latencies.Percentile(99),
            LatencyMeanMs = latencies.MeanMs is { } mean ? Math.Round(mean, 2) : null,
            LatencyMaxMs = latencies.MaxMs,
            InvalidMessages = summaries.Sum(s => (long)(s.Stream?.Warnings.Count ?? 0)),
            Worker = sampler is null ? null : new WorkerUsage(options.WorkerPid!.Value, sampler.Name,
                sampler.MeanCpuPercent is { } cpu ? Math.Round(cpu, 1) : null, Math.Round(sampler.MaxCpuPercent, 1),
                Math.Round(sampler.MaxRssBytes / 1048576.0, 1),
                sampler.RssSlope.KilobytesPerMinute is { } slope ? Math.Round(slope, 1) : null, sampler.RssSlope.Samples,
                (options.Ramp + options.WarmUp).TotalSeconds),
        };
        return result with { FailedBecause = LoadVerdict.Failures(result, options.MaxLostShare) };
    }

    /// <summary>A frame counts once its call had <see cref="LoadOptions.Grace"/> left after sending it.</summary>
    private long MeasuredUntil(LoopbackFrameMatcher matcher, LoadOptions options) =>
        matcher.LastSentAt - (long)(options.Grace.TotalSeconds * time.TimestampFrequency);

    private static string? EndedEarly(CallSummary summary) =>
        summary.Error is { } error ? $"error {error.Code}: {error.Problem}" :
        summary.Stream is null ? $"no stream ({summary.Outcome})" :
        summary.Stream.End switch
        {
            StreamEnd.MaxDuration or StreamEnd.CallerHungUp => null,
            StreamEnd.ServerClosed => $"the server closed the stream ({summary.Stream.CloseStatus} {summary.Stream.CloseDescription})",
            _ => $"the connection broke ({summary.Stream.CloseDescription})",
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid} ended early: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, string callSid, string reason);
}
