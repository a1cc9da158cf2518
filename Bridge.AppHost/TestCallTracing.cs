using Bridge.TwilioStandIn.Tracing;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Bridge.AppHost;

/// <summary>
/// Exports the spans of the dashboard's test calls to where the services export theirs (the dashboard): the same
/// OTLP endpoint, protocol and key the AppHost gives the api, read from its resolved environment when the first
/// test call is placed. One exporter for the AppHost's lifetime, flushed when it stops.
/// </summary>
internal sealed class TestCallTracing : IDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private TracerProvider? _exporter;
    private bool _started;

    public async Task StartAsync(IResource resource, DistributedApplicationExecutionContext context, ILogger logger, CancellationToken cancellationToken)
    {
        await _starting.WaitAsync(cancellationToken);
        try
        {
            if (_started)
            {
                return;
            }
            var configuration = await ExecutionConfigurationBuilder.Create(resource)
                .WithEnvironmentVariablesConfig()
                .BuildAsync(context, logger, cancellationToken);
            var environment = configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value, StringComparer.Ordinal);
            string? Variable(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

            if (Variable("OTEL_EXPORTER_OTLP_ENDPOINT") is { } endpoint)
            {
                var http = Variable("OTEL_EXPORTER_OTLP_PROTOCOL") is "http/protobuf";
                _exporter = CallTracing.StartExporting(otlp =>
                {
                    otlp.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    // Set in code, an http/protobuf endpoint is used as it is: the signal's path is ours to add.
                    otlp.Endpoint = http ? new Uri(endpoint.TrimEnd('/') + "/v1/traces") : new Uri(endpoint);
                    otlp.Headers = Variable("OTEL_EXPORTER_OTLP_HEADERS");
                });
            }
            _started = true;
        }
        finally
        {
            _starting.Release();
        }
    }

    public void Dispose()
    {
        _exporter?.Dispose();
        _starting.Dispose();
    }
}
