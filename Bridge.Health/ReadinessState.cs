using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Whether a service can take work right now. Starts not ready; the service marks itself ready once it has
/// started, and not ready while it drains or is full. Reported on <c>/health/readiness</c>.
/// </summary>
public sealed class ReadinessState : IHealthCheck
{
    private volatile string? _notReadyReason = "starting";

    public void MarkReady() => _notReadyReason = null;

    public void MarkNotReady(string reason) => _notReadyReason = reason;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reason = _notReadyReason;
        return Task.FromResult(reason is null
            ? HealthCheckResult.Healthy("ready")
            : HealthCheckResult.Unhealthy(reason));
    }
}
