using Bridge.MediaWorker.Calls;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class CallRegistryTests
{
    private readonly ReadinessState _readiness = new();

    private CallRegistry Registry(int maxConcurrent = 2, double drainSeconds = 5)
    {
        _readiness.MarkReady();
        return new CallRegistry(
            Options.Create(new CallOptions { MaxConcurrent = maxConcurrent, DrainTimeout = TimeSpan.FromSeconds(drainSeconds) }),
            _readiness,
            NullLogger<CallRegistry>.Instance);
    }

    private async Task<bool> ReadyAsync() =>
        (await _readiness.CheckHealthAsync(new HealthCheckContext())).Status == HealthStatus.Healthy;

    [Fact]
    public async Task Calls_are_admitted_up_to_the_limit_and_readiness_goes_false_when_full()
    {
        var registry = Registry(maxConcurrent: 2);

        using var first = registry.TryAdmit();
        Assert.True(await ReadyAsync());
        using var second = registry.TryAdmit();

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(registry.TryAdmit());
        Assert.False(await ReadyAsync());
        Assert.Equal(2, registry.Active);
    }

    [Fact]
    public async Task A_released_place_is_free_again_and_readiness_returns()
    {
        var registry = Registry(maxConcurrent: 1);
        var lease = registry.TryAdmit()!;

        lease.Dispose();
        lease.Dispose();

        Assert.Equal(0, registry.Active);
        Assert.True(await ReadyAsync());
        Assert.NotNull(registry.TryAdmit());
    }

    [Fact]
    public async Task Draining_refuses_new_calls_at_once_and_waits_for_live_ones_to_end()
    {
        var registry = Registry(maxConcurrent: 5, drainSeconds: 30);
        var live = registry.TryAdmit()!;

        var drain = registry.DrainAsync(CancellationToken.None);

        Assert.False(await ReadyAsync());
        Assert.Null(registry.TryAdmit());
        await Task.Delay(100);
        Assert.False(drain.IsCompleted);
        Assert.False(registry.EndCallsRequested.IsCancellationRequested);

        live.Dispose();
        await drain.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Past_the_drain_deadline_every_live_call_is_asked_to_end()
    {
        var registry = Registry(maxConcurrent: 5, drainSeconds: 0.2);
        var live = registry.TryAdmit()!;
        registry.EndCallsRequested.Register(live.Dispose);

        await registry.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(registry.EndCallsRequested.IsCancellationRequested);
        Assert.Equal(0, registry.Active);
    }

    [Fact]
    public async Task An_idle_worker_drains_at_once()
    {
        var registry = Registry();

        await registry.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));

        Assert.False(registry.EndCallsRequested.IsCancellationRequested);
    }
}
