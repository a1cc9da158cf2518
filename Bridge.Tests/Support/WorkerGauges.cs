using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Support;

/// <summary>
/// Reads an in-process worker's gauges the way an exporter does: through a <see cref="MeterListener"/> on the
/// worker's own meters (those its <see cref="IMeterFactory"/> made), by instrument name.
/// </summary>
public sealed class WorkerGauges : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _last = new();
    private readonly Lock _observing = new();

    public WorkerGauges(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.GetType().Name.StartsWith("ObservableGauge", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => _last[instrument.Name] = value);
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _last[instrument.Name] = value);
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => _last[instrument.Name] = value);
        _listener.Start();
    }

    /// <summary>Every gauge of the worker, observed now.</summary>
    public IReadOnlyDictionary<string, double> Read()
    {
        lock (_observing)
        {
            _last.Clear();
            _listener.RecordObservableInstruments();
            return new Dictionary<string, double>(_last);
        }
    }

    public void Dispose() => _listener.Dispose();
}
