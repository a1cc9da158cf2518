using Microsoft.Extensions.Logging.Testing;
using Bridge.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.ServiceDefaults;

public sealed class MemoryHealthCheckTests
{
    private const long Available = 1000L * 1024 * 1024;

    private readonly SettableProcessMemory _memory = new();
    private readonly FakeLogger _logger = TestTelemetry.Logger(LogLevel.Information);
    private readonly MemoryHealthCheck _check;

    public MemoryHealthCheckTests() =>
        _check = new MemoryHealthCheck(
            new MemoryHealthRule(_memory, Options.Create(new MemoryHealthOptions { DegradedHeapPercent = 60, UnhealthyWorkingSetPercent = 80 })), new Logger(_logger));

    [Theory]
    [InlineData(100, 300, HealthStatus.Healthy)]
    [InlineData(599, 799, HealthStatus.Healthy)]
    [InlineData(600, 700, HealthStatus.Degraded)]
    [InlineData(100, 800, HealthStatus.Unhealthy)]
    [InlineData(700, 900, HealthStatus.Unhealthy)]
    public async Task The_heap_past_its_threshold_degrades_and_the_working_set_past_its_threshold_is_unhealthy(int heapMb, int workingSetMb, HealthStatus expected)
    {
        _memory.Set(heapMb, workingSetMb, Available);

        var result = await _check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(expected, result.Status);
        Assert.Equal((long)workingSetMb * 1024 * 1024, result.Data["working_set_bytes"]);
    }

    [Fact]
    public async Task Each_change_of_status_is_logged_once_with_the_figures()
    {
        _memory.Set(100, 300, Available);
        await _check.CheckHealthAsync(new HealthCheckContext());
        _memory.Set(650, 300, Available);
        await _check.CheckHealthAsync(new HealthCheckContext());
        await _check.CheckHealthAsync(new HealthCheckContext());
        _memory.Set(650, 850, Available);
        await _check.CheckHealthAsync(new HealthCheckContext());
        _memory.Set(100, 300, Available);
        await _check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(
        [
            (LogLevel.Warning, "Memory health is Degraded: managed heap 650 MB is past 60 % of the 1000 MB the GC may use"),
            (LogLevel.Warning, "Memory health is Unhealthy: working set 850 MB is past 80 % of the 1000 MB the GC may use"),
            (LogLevel.Information, "Memory health is back to healthy: heap 100 MB, working set 300 MB of 1000 MB"),
        ], _logger.Collector.GetSnapshot().Select(e => (e.Level, e.Message)));
    }

    [Fact]
    public void The_process_reading_sees_what_the_process_holds()
    {
        var held = new byte[64][];
        for (var i = 0; i < held.Length; i++)
        {
            held[i] = new byte[1024 * 1024];
            Random.Shared.NextBytes(held[i]);
        }
        GC.Collect();

        var reading = new ProcessMemory().Read();

        Assert.InRange(reading.HeapBytes, 64L * 1024 * 1024, reading.AvailableBytes);
        Assert.InRange(reading.WorkingSetBytes, 64L * 1024 * 1024, long.MaxValue);
        GC.KeepAlive(held);
    }

    private sealed class Logger(ILogger inner) : ILogger<MemoryHealthCheck>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
