using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Readiness by memory: Degraded once the managed heap passes <see cref="MemoryHealthOptions.DegradedHeapPercent"/>,
/// Unhealthy (not ready: no new calls or webhooks are routed here) once the working set passes
/// <see cref="MemoryHealthOptions.UnhealthyWorkingSetPercent"/>. A change of status is logged once.
/// </summary>
public sealed partial class MemoryHealthCheck(IProcessMemory memory, IOptions<MemoryHealthOptions> options, ILogger<MemoryHealthCheck> logger) : IHealthCheck
{
    private const double Mebibyte = 1024 * 1024;

    private int _lastStatus = (int)HealthStatus.Healthy;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reading = memory.Read();
        var thresholds = options.Value;
        var data = new Dictionary<string, object>
        {
            ["heap_bytes"] = reading.HeapBytes,
            ["working_set_bytes"] = reading.WorkingSetBytes,
            ["available_bytes"] = reading.AvailableBytes,
        };

        HealthCheckResult result;
        if (IsPast(reading.WorkingSetBytes, thresholds.UnhealthyWorkingSetPercent, reading.AvailableBytes))
        {
            result = HealthCheckResult.Unhealthy(Describe("working set", reading.WorkingSetBytes, thresholds.UnhealthyWorkingSetPercent, reading.AvailableBytes), data: data);
        }
        else if (IsPast(reading.HeapBytes, thresholds.DegradedHeapPercent, reading.AvailableBytes))
        {
            result = HealthCheckResult.Degraded(Describe("managed heap", reading.HeapBytes, thresholds.DegradedHeapPercent, reading.AvailableBytes), data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"heap {reading.HeapBytes / Mebibyte:F0} MB, working set {reading.WorkingSetBytes / Mebibyte:F0} MB of {reading.AvailableBytes / Mebibyte:F0} MB", data);
        }

        if (Interlocked.Exchange(ref _lastStatus, (int)result.Status) != (int)result.Status)
        {
            if (result.Status == HealthStatus.Healthy)
            {
                LogRecovered(result.Description!);
            }
            else
            {
                LogStatusChanged(result.Status, result.Description!);
            }
        }
        return Task.FromResult(result);
    }

    private static bool IsPast(long bytes, int percent, long availableBytes) => bytes * 100.0 >= percent * (double)availableBytes;

    private static string Describe(string what, long bytes, int percent, long availableBytes) =>
        $"{what} {bytes / Mebibyte:F0} MB is past {percent} % of the {availableBytes / Mebibyte:F0} MB the GC may use";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory health is {Status}: {Description}")]
    private partial void LogStatusChanged(HealthStatus status, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory health is back to healthy: {Description}")]
    private partial void LogRecovered(string description);
}
