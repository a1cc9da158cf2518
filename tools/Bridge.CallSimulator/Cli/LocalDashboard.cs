using Bridge.TwilioStandIn.Calls;
using OpenTelemetry.Exporter;

namespace Bridge.CallSimulator.Cli;

/// <summary>
/// Where <c>bridge-call call</c> exports its call's span: to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> when it is set (with
/// the other <c>OTEL_EXPORTER_OTLP_*</c> variables); else, calling a bridge on this machine, to the dashboard of a
/// local AppHost, which listens for OTLP at <see cref="OtlpEndpoint"/> (its launch profile) and asks for the API key it
/// keeps in its user secrets, next to the auth token the simulator already reads from there.
/// </summary>
public static class LocalDashboard
{
    public const string OtlpEndpoint = "http://localhost:19180";
    public const string OtlpApiKeySecret = "AppHost:OtlpApiKey";
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>How to export, or null for nowhere (the services' spans still make one trace).</summary>
    public static Action<OtlpExporterOptions>? ExportSettings(Uri webhookUrl, Func<string, string?> environment, string userSecretsFile)
    {
        if (!string.IsNullOrEmpty(environment(EndpointVariable)))
        {
            return _ => { }; // the SDK reads the OTEL_EXPORTER_OTLP_* variables itself
        }
        if (!CallSimulationOptions.IsLoopback(webhookUrl) || AppHostUserSecrets.Read(userSecretsFile, OtlpApiKeySecret) is not { Length: > 0 } key)
        {
            return null;
        }
        return otlp =>
        {
            otlp.Endpoint = new Uri(OtlpEndpoint);
            otlp.Protocol = OtlpExportProtocol.Grpc;
            otlp.Headers = "x-otlp-api-key=" + key;
        };
    }
}
