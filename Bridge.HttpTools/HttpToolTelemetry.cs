using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bridge.HttpTools;

/// <summary>A span per tool call (its HTTP request is the span's child) and the tool latency metric.</summary>
public sealed class HttpToolTelemetry
{
    public const string Name = "Bridge.HttpTools";
    public static readonly ActivitySource Activities = new(Name);

    private readonly Histogram<double> _duration;

    public HttpToolTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _duration = meter.CreateHistogram<double>("bridge.tools.duration", "ms",
            "From the model's tool call to its result, per HTTP tool call, by tool and outcome.");
    }

    public void Completed(ToolResult result) => _duration.Record(result.Duration.TotalMilliseconds,
        new KeyValuePair<string, object?>("tool", result.ToolName),
        new KeyValuePair<string, object?>("outcome", OutcomeTag(result.Outcome)));

    public static string OutcomeTag(ToolOutcome outcome) => outcome switch
    {
        ToolOutcome.Succeeded => "succeeded",
        ToolOutcome.InvalidInput => "invalid-input",
        ToolOutcome.TimedOut => "timed-out",
        ToolOutcome.Refused => "refused",
        ToolOutcome.Failed => "failed",
        ToolOutcome.BadResponse => "bad-response",
        ToolOutcome.ResponseTooLarge => "response-too-large",
        ToolOutcome.Unreachable => "unreachable",
        ToolOutcome.Unavailable => "unavailable",
        _ => "cancelled",
    };
}
