using System.Diagnostics.Metrics;

namespace Bridge.Api.Telemetry;

public sealed class WebhookMetrics
{
    public const string MeterName = "Bridge.Api";

    private readonly Counter<long> _callsAnswered;
    private readonly Counter<long> _streamEvents;
    private readonly Counter<long> _connectEnded;

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _callsAnswered = meter.CreateCounter<long>("bridge.webhook.calls", description: "Voice webhooks answered with a media stream.");
        _streamEvents = meter.CreateCounter<long>("bridge.stream.status", description: "Media stream status callbacks, by event.");
        _connectEnded = meter.CreateCounter<long>("bridge.connect.ended", description: "Calls whose media stream ended, by outcome.");
    }

    public void CallAnswered() => _callsAnswered.Add(1);

    public void StreamStatus(string streamEvent) => _streamEvents.Add(1, new KeyValuePair<string, object?>("event", streamEvent));

    public void ConnectEnded(string outcome) => _connectEnded.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
