using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bridge.Bedrock;

/// <summary>Metrics of the Bedrock streams: how many open, how long opening takes, which errors end them.</summary>
public sealed class BedrockTelemetry
{
    public const string MeterName = "Bridge.MediaWorker.Bedrock";

    private readonly Counter<long> _opened;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _openTime;
    private long _active;

    public BedrockTelemetry(IMeterFactory? meters = null)
    {
        var meter = Meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _opened = meter.CreateCounter<long>("bridge.bedrock.streams.opened", description: "Bedrock streams the service accepted.");
        _errors = meter.CreateCounter<long>("bridge.bedrock.stream.errors", description: "Bedrock stream failures, by error type and whether a retry can help.");
        _openTime = meter.CreateHistogram<double>("bridge.bedrock.stream.open_time", unit: "ms", description: "From sending the request to the service's answer.");
        meter.CreateObservableGauge("bridge.bedrock.streams.active", () => ActiveStreams,
            description: "Bedrock stream requests in flight (sent and not yet finished); back to 0 when no call is live.");
    }

    /// <summary>Stream requests sent and not yet finished: a stream that is never ended keeps this above its idle baseline.</summary>
    public long ActiveStreams => Interlocked.Read(ref _active);

    internal Meter Meter { get; }

    internal void RequestStarted() => Interlocked.Increment(ref _active);

    internal void RequestFinished() => Interlocked.Decrement(ref _active);

    internal void Opened(TimeSpan took)
    {
        _opened.Add(1);
        _openTime.Record(took.TotalMilliseconds);
    }

    internal void Failed(BedrockStreamException error) =>
        _errors.Add(1, new TagList { { "error.type", error.ErrorType }, { "retryable", error.IsRetryable } });
}
