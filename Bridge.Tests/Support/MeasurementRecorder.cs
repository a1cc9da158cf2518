using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Bridge.Tests.Support;

/// <summary>
/// Records one instrument's measurements from the meters of one host (its <see cref="IMeterFactory"/>), so tests running
/// in parallel with their own hosts do not count each other's.
/// </summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MeasurementRecorder(IMeterFactory host, string meterName, string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == host && instrument.Meter.Name == meterName && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tagMap = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                tagMap[tag.Key] = tag.Value;
            }
            _measurements.Enqueue((value, tagMap));
        });
        _listener.Start();
    }

    /// <summary>The sum of the values recorded with <paramref name="tag"/> set to <paramref name="value"/>.</summary>
    public long Sum(string tag, object value) =>
        _measurements.Where(m => Equals(m.Tags.GetValueOrDefault(tag), value)).Sum(m => m.Value);

    public long Sum() => _measurements.Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
