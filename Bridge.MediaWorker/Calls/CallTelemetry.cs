using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bridge.MediaWorker.Calls;

/// <summary>The media worker's metrics and its one trace span per call. Names follow <c>bridge.*</c>.</summary>
public sealed class CallTelemetry
{
    public const string MeterName = "Bridge.MediaWorker";
    public static readonly ActivitySource Activities = new(MeterName);

    private readonly Counter<long> _callsStarted;
    private readonly Counter<long> _callsEnded;
    private readonly Counter<long> _callsRefused;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _interruptions;
    private readonly Counter<long> _renewals;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _inboundLatency;
    private readonly Histogram<double> _outboundLatency;
    private readonly Histogram<double> _responseLatency;
    private readonly Histogram<double> _bargeInLatency;
    private readonly Histogram<double> _queueDepth;

    public CallTelemetry(IMeterFactory meterFactory, CallRegistry registry)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("bridge.calls.active", () => registry.Active, description: "Calls live on this worker.");
        _callsStarted = meter.CreateCounter<long>("bridge.calls.started", description: "Calls admitted and connected to the model.");
        _callsEnded = meter.CreateCounter<long>("bridge.calls.ended", description: "Calls ended, by reason.");
        _callsRefused = meter.CreateCounter<long>("bridge.calls.rejected", description: "Media streams refused before a call began, by reason.");
        _frames = meter.CreateCounter<long>("bridge.audio.frames", description: "Twilio media frames, by direction.");
        _interruptions = meter.CreateCounter<long>("bridge.interruptions", description: "Barge-ins: the caller interrupted the model.");
        _renewals = meter.CreateCounter<long>("bridge.renewals", description: "Model streams renewed mid-call, by reason.");
        _errors = meter.CreateCounter<long>("bridge.errors", description: "Call errors, by kind.");
        _inboundLatency = meter.CreateHistogram<double>("bridge.latency.inbound", "ms", "Twilio frame received to model event written.");
        _outboundLatency = meter.CreateHistogram<double>("bridge.latency.outbound", "ms", "Model audio received to Twilio frame written (when playback has room).");
        _responseLatency = meter.CreateHistogram<double>("bridge.latency.response", "ms", "Caller's end of speech to the model's first audio.");
        _bargeInLatency = meter.CreateHistogram<double>("bridge.latency.barge_in", "ms", "Model's interruption signal to clear sent.");
        _queueDepth = meter.CreateHistogram<double>("bridge.audio.queue", "ms", "Model audio waiting for playback, sampled as audio arrives.");
    }

    public void CallStarted() => _callsStarted.Add(1);

    public void CallEnded(string reason) => _callsEnded.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void CallRefused(string reason) => _callsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void FrameIn() => _frames.Add(1, new KeyValuePair<string, object?>("direction", "in"));

    public void FramesOut(int frames) => _frames.Add(frames, new KeyValuePair<string, object?>("direction", "out"));

    public void Interrupted(TimeSpan signalToClear)
    {
        _interruptions.Add(1);
        _bargeInLatency.Record(signalToClear.TotalMilliseconds);
    }

    public void Renewed(string reason) => _renewals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Error(string kind) => _errors.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void InboundLatency(TimeSpan latency) => _inboundLatency.Record(latency.TotalMilliseconds);

    public void OutboundLatency(TimeSpan latency) => _outboundLatency.Record(latency.TotalMilliseconds);

    public void ResponseLatency(TimeSpan latency) => _responseLatency.Record(latency.TotalMilliseconds);

    public void QueueDepth(TimeSpan queued) => _queueDepth.Record(queued.TotalMilliseconds);
}
