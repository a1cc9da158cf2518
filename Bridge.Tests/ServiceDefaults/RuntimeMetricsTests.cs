using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Bridge.Tests.ServiceDefaults;

/// <summary>The runtime's GC, heap, working-set and thread-pool metrics reach the services' OpenTelemetry exporters.</summary>
public sealed class RuntimeMetricsTests
{
    [Fact]
    public async Task Gc_heap_and_thread_pool_metrics_are_exported()
    {
        var exported = new List<Metric>();
        var builder = Host.CreateApplicationBuilder();
        builder.ConfigureOpenTelemetry();
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported));
        using var host = builder.Build();
        await host.StartAsync();

        GC.Collect();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Thread.Sleep(10))));
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        await host.StopAsync();

        var names = exported.Select(m => m.Name).ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                "dotnet.gc.collections",
                "dotnet.gc.last_collection.heap.size",
                "dotnet.gc.heap.total_allocated",
                "dotnet.gc.pause.time",
                "dotnet.process.memory.working_set",
                "dotnet.thread_pool.thread.count",
                "dotnet.thread_pool.queue.length",
                "dotnet.thread_pool.work_item.count",
            },
            names);
    }
}
