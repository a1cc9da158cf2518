using System.Diagnostics;
using System.Diagnostics.Metrics;
using Bridge.TwilioMedia;

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
    private readonly Counter<long> _limits;
    private readonly Histogram<double> _inboundLatency;
    private readonly Histogram<double> _outboundLatency;
    private readonly Histogram<double> _responseLatency;
    private readonly Histogram<double> _bargeInLatency;
    private readonly Histogram<double> _startWait;
    private readonly Histogram<double> _queueDepth;
    private readonly Histogram<double> _inboundGap;
    private readonly Counter<long> _inboundLost;
    private readonly Counter<long> _inboundLate;
    private readonly Counter<long> _inboundReordered;
    private readonly Counter<long> _inboundDuplicated;
    private readonly Histogram<double> _inboundJitter;
    private readonly Histogram<double> _underrun;
    private readonly Counter<double> _dropped;

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
        _limits = meter.CreateCounter<long>("bridge.limits.reached", description: "Limits on a call's or a socket's cost that ended it, by limit.");
        _inboundLatency = meter.CreateHistogram<double>("bridge.latency.inbound", "ms", "Twilio frame received to model event written.");
        _outboundLatency = meter.CreateHistogram<double>("bridge.latency.outbound", "ms", "Model audio received to Twilio frame written (when playback has room).");
        _responseLatency = meter.CreateHistogram<double>("bridge.latency.response", "ms", "Caller's end of speech to the model's first audio.");
        _bargeInLatency = meter.CreateHistogram<double>("bridge.latency.barge_in", "ms", "Model's interruption signal to clear sent.");
        _startWait = meter.CreateHistogram<double>("bridge.latency.start", "ms", "WebSocket accepted to Twilio's start received (what Twilio:MediaStream:StartTimeout bounds).");
        _queueDepth = meter.CreateHistogram<double>("bridge.audio.queue", "ms", "Model audio waiting for playback, sampled as audio arrives.");
        _inboundGap = meter.CreateHistogram<double>("bridge.audio.inbound.gap", "ms", "Jumps in Twilio's media timestamps beyond the previous frame's end (caller audio missing), one per gap.");
        _inboundLost = meter.CreateCounter<long>("bridge.audio.inbound.lost", "{frame}", "Caller frames never received within the reordering window (64 frames).");
        _inboundLate = meter.CreateCounter<long>("bridge.audio.inbound.late", "{frame}", "Caller frames that arrived more than Twilio:MediaStream:LateFrameThreshold after their expected arrival.");
        _inboundReordered = meter.CreateCounter<long>("bridge.audio.inbound.reordered", "{frame}", "Caller frames that arrived behind a frame with a later timestamp.");
        _inboundDuplicated = meter.CreateCounter<long>("bridge.audio.inbound.duplicated", "{frame}", "Caller frames whose timestamp had already arrived.");
        _inboundJitter = meter.CreateHistogram<double>("bridge.audio.inbound.jitter", "ms", "RFC 3550 interarrival jitter of the caller's frames, sampled once per second of caller audio per call.");
        _dropped = meter.CreateCounter<double>("bridge.audio.outbound.dropped", "ms",
            "Model audio dropped because it outran playback by more than the call's queue (Calls:MaxQueuedAudio) and its read-ahead hold.");
        _underrun = meter.CreateHistogram<double>("bridge.audio.outbound.underrun", "ms", "Holes in the assistant's speech: playback ran dry while audio was still owed to the caller, one per underrun.");
    }

    public void CallStarted() => _callsStarted.Add(1);

    public void CallEnded(CallEndReason reason) => _callsEnded.Add(1, new KeyValuePair<string, object?>("reason", reason.Tag()));

    public void CallRefused(string reason) => _callsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void FrameIn() => _frames.Add(1, new KeyValuePair<string, object?>("direction", "in"));

    public void FramesOut(int frames) => _frames.Add(frames, new KeyValuePair<string, object?>("direction", "out"));

    /// <summary>A barge-in; <paramref name="source"/> is <c>model</c> (its interruption signal) or <c>local</c> (caller speech over audio an older model stream produced).</summary>
    public void Interrupted(TimeSpan signalToClear, string source)
    {
        _interruptions.Add(1, new KeyValuePair<string, object?>("source", source));
        _bargeInLatency.Record(signalToClear.TotalMilliseconds, new KeyValuePair<string, object?>("source", source));
    }

    public void Renewed(string reason) => _renewals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Error(string kind) => _errors.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A limit ended a call or a socket: max-duration, inactivity, audio-ahead, dtmf-flood, message-flood, control-frames, fragments.</summary>
    public void LimitReached(CallEndReason limit) => LimitReached(limit.Tag());

    /// <summary>A limit ended a call or a socket, by its tag.</summary>
    public void LimitReached(string limit) => _limits.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void InboundLatency(TimeSpan latency) => _inboundLatency.Record(latency.TotalMilliseconds);

    public void OutboundLatency(TimeSpan latency) => _outboundLatency.Record(latency.TotalMilliseconds);

    public void ResponseLatency(TimeSpan latency) => _responseLatency.Record(latency.TotalMilliseconds);

    public void StartWait(TimeSpan wait) => _startWait.Record(wait.TotalMilliseconds);

    public void QueueDepth(TimeSpan queued) => _queueDepth.Record(queued.TotalMilliseconds);

    /// <summary>Records what a caller frame showed of the inbound path; nothing for an unremarkable frame.</summary>
    public void InboundFrame(in InboundFrameTiming timing, double jitterMilliseconds)
    {
        if (timing.GapMilliseconds > 0)
        {
            _inboundGap.Record(timing.GapMilliseconds);
        }
        InboundFramesLost(timing.FramesLost);
        if (timing.Late)
        {
            _inboundLate.Add(1);
        }
        if (timing.Reordered)
        {
            _inboundReordered.Add(1);
        }
        if (timing.Duplicate)
        {
            _inboundDuplicated.Add(1);
        }
        if (timing.JitterSampled)
        {
            _inboundJitter.Record(jitterMilliseconds);
        }
    }

    public void InboundFramesLost(int frames)
    {
        if (frames > 0)
        {
            _inboundLost.Add(frames);
        }
    }

    public void Underrun(TimeSpan length) => _underrun.Record(length.TotalMilliseconds);

    public void ModelAudioDropped(TimeSpan audio) => _dropped.Add(audio.TotalMilliseconds);
}
