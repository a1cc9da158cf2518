namespace Bridge.CallSimulator.Load;

/// <summary>What a load test measured; written as JSON by <c>--json</c>.</summary>
public sealed record LoadResult
{
    public required DateTimeOffset StartedAt { get; init; }

    public required double DurationSeconds { get; init; }

    public required int CallsPlanned { get; init; }

    public int CallsStarted { get; init; }

    /// <summary>Calls that streamed until the caller hung up at the end of the test.</summary>
    public int CallsCompleted { get; init; }

    public int CallsFailed { get; init; }

    /// <summary>Why calls failed or ended early, with how many did so for each reason.</summary>
    public IReadOnlyDictionary<string, int> Failures { get; init; } = new Dictionary<string, int>();

    public long FramesSent { get; init; }

    /// <summary>Frames that had time to come back (sent before the last grace period of their call).</summary>
    public long FramesMeasured { get; init; }

    public long FramesReturned { get; init; }

    public long FramesLost { get; init; }

    public long FramesLate { get; init; }

    public double LateAfterMs { get; init; }

    public long FramesDuplicated { get; init; }

    public long FramesOutOfOrder { get; init; }

    public long UnknownFrames { get; init; }

    public double? LatencyP50Ms { get; init; }

    public double? LatencyP95Ms { get; init; }

    public double? LatencyP99Ms { get; init; }

    public double? LatencyMeanMs { get; init; }

    public double? LatencyMaxMs { get; init; }

    public long InvalidMessages { get; init; }

    public WorkerUsage? Worker { get; init; }

    /// <summary>Why the run failed (<see cref="LoadVerdict"/>); empty when it passed.</summary>
    public IReadOnlyList<string> FailedBecause { get; init; } = [];

    public bool Passed => FailedBecause.Count == 0;
}

/// <param name="RssSlopeKbPerMinute">Least-squares slope of resident memory after the warm-up; null when the run was too short.</param>
/// <param name="SlopeSamples">How many once-a-second samples the slope is over.</param>
public sealed record WorkerUsage(int Pid, string Name, double? MeanCpuPercent, double MaxCpuPercent, double MaxRssMegabytes,
    double? RssSlopeKbPerMinute = null, int SlopeSamples = 0, double WarmUpSeconds = 0);

/// <summary>A live view of a running load test.</summary>
public sealed record LoadProgress(
    TimeSpan Elapsed, int Active, int Started, int Failed, long FramesSent, long FramesReturned,
    double? P50Ms, double? P95Ms, double? P99Ms, double? WorkerCpuPercent, double? WorkerRssMegabytes);
