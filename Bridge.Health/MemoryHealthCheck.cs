using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Readiness by memory, by <see cref="MemoryHealthRule"/>: Degraded past the heap threshold, Unhealthy (not ready: no
/// new calls or webhooks are routed here) past the working-set threshold. A change of status is logged once.
/// </summary>
public sealed partial class MemoryHealthCheck(MemoryHealthRule rule, ILogger<MemoryHealthCheck> logger) : IHealthCheck
{
    private int _lastStatus = (int)HealthStatus.Healthy;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reading = rule.Read();
        var status = rule.StatusOf(reading);
        var description = rule.Describe(reading, status);
        var data = new Dictionary<string, object>
        {
            ["heap_bytes"] = reading.HeapBytes,
            ["working_set_bytes"] = reading.WorkingSetBytes,
            ["available_bytes"] = reading.AvailableBytes,
        };
        var result = new HealthCheckResult(status, description, data: data);

        if (Interlocked.Exchange(ref _lastStatus, (int)status) != (int)status)
        {
            if (status == HealthStatus.Healthy)
            {
                LogRecovered(description);
            }
            else
            {
                LogStatusChanged(status, description);
            }
        }
        return Task.FromResult(result);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory health is {Status}: {Description}")]
    private partial void LogStatusChanged(HealthStatus status, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory health is back to healthy: {Description}")]
    private partial void LogRecovered(string description);
}
