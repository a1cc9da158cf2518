using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Bridge.Tests.Support;

/// <summary>
/// Thin helpers over dotnet/extensions' fakes, the tests' one log recorder (<see cref="FakeLogger"/>,
/// <see cref="FakeLoggerProvider"/>) and one metric recorder (<see cref="MetricCollector{T}"/>): what they do not say
/// in one call.
/// </summary>
public static class TestTelemetry
{
    /// <summary>A logger enabled from <paramref name="minimum"/> up (code that asks <c>IsEnabled</c> sees the same), keeping what it is given.</summary>
    public static FakeLogger Logger(LogLevel minimum)
    {
        var logger = new FakeLogger(FakeLogCollector.Create(new FakeLogCollectorOptions { CollectRecordsForDisabledLogLevels = false }));
        for (var level = LogLevel.Trace; level < minimum; level++)
        {
            logger.ControlLevel(level, enabled: false);
        }
        return logger;
    }

    /// <summary>A meter factory of a test's own, so that its collectors see only the code under test, whatever runs in parallel.</summary>
    public static ServiceProvider NewMeters() => new ServiceCollection().AddMetrics().BuildServiceProvider();

    public static IMeterFactory MeterFactory(this IServiceProvider services) => services.GetRequiredService<IMeterFactory>();

    /// <summary>The sum of the values recorded with <paramref name="tag"/> set to <paramref name="value"/>.</summary>
    public static long Sum(this MetricCollector<long> collector, string tag, object value) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags.GetValueOrDefault(tag), value)).Sum(m => m.Value);

    /// <summary>The sum of every value recorded.</summary>
    public static long Total(this MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);
}
