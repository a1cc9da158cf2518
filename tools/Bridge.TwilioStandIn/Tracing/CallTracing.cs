using System.Diagnostics;
using Bridge.TwilioStandIn.Twilio;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bridge.TwilioStandIn.Tracing;

/// <summary>
/// Each simulated call is the root of a trace of its own, sampled, whose context goes with the webhook and the
/// WebSocket upgrade (<c>traceparent</c>), as an instrumented carrier would send it: the api's and the worker's
/// spans join that trace whatever their own sampling ratio. The call's own span is exported over OTLP where
/// <see cref="StartExporting"/> was called (the <c>call</c> command with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the
/// AppHost's test-call command to its dashboard).
/// </summary>
public static class CallTracing
{
    public const string SourceName = "Bridge.CallSimulator";
    public const string ServiceName = "bridge-call";
    public const string CallSpanName = "simulated call";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts the call's span as a new trace: never a child of the activity the caller runs in (in the AppHost, a
    /// request of the dashboard that is not sampled, whose decision the services would otherwise follow).
    /// Recorded even when nothing exports it, so that the services export theirs.
    /// </summary>
    public static Activity StartCall(CallIdentity call)
    {
        Activity.Current = null;
        var activity = Source.StartActivity(CallSpanName, ActivityKind.Client, parentContext: default) ?? StartUnexported();
        // Sampled whoever started it: our own span, or one that another tracer in this process listening to this
        // source (a host with a lower sampling ratio, in the tests' process) decided not to record. The services
        // follow the parent's decision and would otherwise record nothing of the call.
        activity.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        activity.SetTag("twilio.call_sid", call.CallSid);
        activity.SetTag("twilio.from", call.From);
        activity.SetTag("twilio.to", call.To);
        return activity;
    }

    /// <summary>With no exporter listening, a span of our own (marked sampled by <see cref="StartCall"/>): the services still export theirs.</summary>
    private static Activity StartUnexported() => new Activity(CallSpanName).SetIdFormat(ActivityIdFormat.W3C).Start();

    /// <summary>Sets the span's status from how the call ended, and ends it.</summary>
    public static void Complete(Activity activity, string outcome, bool succeeded)
    {
        activity.SetTag("call.outcome", outcome);
        activity.SetStatus(succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, succeeded ? null : outcome);
        activity.Stop();
    }

    /// <summary>
    /// Exports the simulator's call spans over OTLP, each as soon as it ends: <paramref name="configure"/> sets the
    /// endpoint, protocol and headers, or without it the <c>OTEL_EXPORTER_OTLP_*</c> variables do. Dispose to flush.
    /// </summary>
    public static TracerProvider StartExporting(Action<OtlpExporterOptions>? configure = null) =>
        Sdk.CreateTracerProviderBuilder()
            .AddSource(SourceName)
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(options =>
            {
                options.ExportProcessorType = ExportProcessorType.Simple;
                configure?.Invoke(options);
            })
            .Build();
}
