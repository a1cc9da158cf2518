using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// When memory makes a service degraded or unhealthy (section <c>Health:Memory</c>): Unhealthy once the working set
/// reaches <see cref="MemoryHealthOptions.UnhealthyWorkingSetPercent"/> of the memory the GC may use, else Degraded once
/// the managed heap reaches <see cref="MemoryHealthOptions.DegradedHeapPercent"/>. The readiness check reports it; the
/// media worker also refuses new streams while it is Unhealthy (its load balancer asks liveness, not readiness).
/// </summary>
public sealed class MemoryHealthRule(IProcessMemory memory, IOptions<MemoryHealthOptions> options)
{
    private const double Mebibyte = 1024 * 1024;

    public MemoryReading Read() => memory.Read();

    public HealthStatus StatusOf(MemoryReading reading)
    {
        var thresholds = options.Value;
        if (IsPast(reading.WorkingSetBytes, thresholds.UnhealthyWorkingSetPercent, reading.AvailableBytes))
        {
            return HealthStatus.Unhealthy;
        }
        return IsPast(reading.HeapBytes, thresholds.DegradedHeapPercent, reading.AvailableBytes) ? HealthStatus.Degraded : HealthStatus.Healthy;
    }

    /// <summary>What makes <paramref name="reading"/> <paramref name="status"/>, with the figures.</summary>
    public string Describe(MemoryReading reading, HealthStatus status)
    {
        var thresholds = options.Value;
        return status switch
        {
            HealthStatus.Unhealthy => DescribePast("working set", reading.WorkingSetBytes, thresholds.UnhealthyWorkingSetPercent, reading.AvailableBytes),
            HealthStatus.Degraded => DescribePast("managed heap", reading.HeapBytes, thresholds.DegradedHeapPercent, reading.AvailableBytes),
            _ => $"heap {reading.HeapBytes / Mebibyte:F0} MB, working set {reading.WorkingSetBytes / Mebibyte:F0} MB of {reading.AvailableBytes / Mebibyte:F0} MB",
        };
    }

    /// <summary>Reads the memory now: whether it is Unhealthy, and if so why. Cheap enough to ask once per request.</summary>
    public bool IsUnhealthy([NotNullWhen(true)] out string? why)
    {
        var reading = memory.Read();
        why = StatusOf(reading) == HealthStatus.Unhealthy ? Describe(reading, HealthStatus.Unhealthy) : null;
        return why is not null;
    }

    private static bool IsPast(long bytes, int percent, long availableBytes) => bytes * 100.0 >= percent * (double)availableBytes;

    private static string DescribePast(string what, long bytes, int percent, long availableBytes) =>
        $"{what} {bytes / Mebibyte:F0} MB is past {percent} % of the {availableBytes / Mebibyte:F0} MB the GC may use";
}
