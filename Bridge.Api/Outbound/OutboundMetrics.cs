using System.Diagnostics.Metrics;
using Bridge.Api.Telemetry;

namespace Bridge.Api.Outbound;

/// <summary>The outbound API's and outbound calls' metrics (<c>bridge.outbound.*</c>), on the api's meter.</summary>
public sealed class OutboundMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _statuses;
    private readonly Counter<long> _detections;
    private readonly Counter<long> _callbacks;
    private readonly Histogram<double> _duration;

    public OutboundMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(WebhookMetrics.MeterName);
        _requests = meter.CreateCounter<long>("bridge.outbound.requests", description: "POST /calls requests, by result (placed, or why refused); GET /calls only when refused for its key (unauthenticated, rate-limited).");
        _calls = meter.CreateCounter<long>("bridge.outbound.calls", description: "Outbound calls ended, by outcome.");
        _statuses = meter.CreateCounter<long>("bridge.outbound.status", description: "Twilio's status callbacks of outbound calls, by status.");
        _detections = meter.CreateCounter<long>("bridge.outbound.amd", description: "Answering machine detection results, by answered_by (Twilio's value; other for one it does not document).");
        _callbacks = meter.CreateCounter<long>("bridge.outbound.callbacks", description: "Operator callbacks, by result (delivered, failed).");
        _duration = meter.CreateHistogram<double>("bridge.outbound.duration", "s", "How long answered outbound calls lasted (Twilio's duration), by outcome.");
    }

    public void Request(string result) => _requests.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Status(string status) => _statuses.Add(1, new KeyValuePair<string, object?>("status", status));

    /// <summary>A detection result; a value Twilio does not document counts as <c>other</c>, so the tag's values stay few.</summary>
    public void Detected(string answeredBy) =>
        _detections.Add(1, new KeyValuePair<string, object?>("answered_by", OutboundOutcome.IsDocumented(answeredBy) ? answeredBy : "other"));

    public void Callback(string result) => _callbacks.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Ended(string outcome, int? durationSeconds)
    {
        _calls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (durationSeconds is { } seconds)
        {
            _duration.Record(seconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
