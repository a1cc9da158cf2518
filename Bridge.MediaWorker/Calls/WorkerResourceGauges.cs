using System.Diagnostics.Metrics;
using Bridge.Buffers;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// What a live call holds, counted so that a leak is visible: with no call live, <c>bridge.calls.active</c>,
/// <c>bridge.media_streams.open</c> and <c>bridge.bedrock.streams.active</c> are 0, and <c>bridge.buffers.rented</c>
/// and <c>bridge.timers.active</c> are back at their idle level. Gauges on the <c>Bridge.MediaWorker</c> meter
/// (the dashboard, <c>dotnet-counters monitor --counters Bridge.MediaWorker</c>).
/// </summary>
public sealed class WorkerResourceGauges
{
    private long _openMediaStreams;

    public WorkerResourceGauges(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(CallTelemetry.MeterName);
        meter.CreateObservableGauge("bridge.media_streams.open", () => OpenMediaStreams,
            description: "Twilio media stream WebSockets accepted and not yet released.");
        meter.CreateObservableGauge("bridge.buffers.rented", () => RentedBuffers.Outstanding,
            description: "Pooled buffers the worker has rented and not yet returned (audio queues, model frames).");
        meter.CreateObservableGauge("bridge.timers.active", () => Timer.ActiveCount,
            description: "Timers alive in the process (delays, timeouts, periodic timers).");
    }

    public long OpenMediaStreams => Interlocked.Read(ref _openMediaStreams);

    /// <summary>Counts an accepted WebSocket until the returned scope is disposed.</summary>
    public MediaStreamScope MediaStreamOpened()
    {
        Interlocked.Increment(ref _openMediaStreams);
        return new MediaStreamScope(this);
    }

    public readonly struct MediaStreamScope(WorkerResourceGauges gauges) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref gauges._openMediaStreams);
    }
}
