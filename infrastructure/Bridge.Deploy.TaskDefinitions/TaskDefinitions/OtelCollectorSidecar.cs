using System.Reflection;
using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions.Environments;

namespace Bridge.Deploy.TaskDefinitions.TaskDefinitions;

/// <summary>The ADOT collector container every task carries: the app sends OTLP to it over localhost.</summary>
internal static class OtelCollectorSidecar
{
    public const string ContainerName = "otel-collector";
    public const string OtlpEndpoint = "http://localhost:4317";

    private static readonly Lazy<string> ConfigTemplate = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("adot-collector.yaml")
            ?? throw new InvalidOperationException("The collector configuration is not embedded in the translator.");
        using var reader = new StreamReader(stream);
        // Comments explain the file in the repository; the task definition carries only the configuration.
        var lines = reader.ReadToEnd().ReplaceLineEndings("\n").Split('\n')
            .Where(line => !line.TrimStart().StartsWith('#'));
        return string.Join('\n', lines);
    });

    public static string ConfigFor(string service, DeploymentEnvironment environment) => ConfigTemplate.Value
        .Replace("__METRICS_NAMESPACE__", environment.MetricsNamespace, StringComparison.Ordinal)
        .Replace("__LOG_GROUP_PREFIX__", environment.LogGroupPrefix, StringComparison.Ordinal)
        .Replace("__SERVICE__", service, StringComparison.Ordinal);

    public static JsonObject Container(string service, DeploymentEnvironment environment) => new()
    {
        ["name"] = ContainerName,
        ["image"] = environment.Collector!.Image,
        // A collector failure must not end live calls: telemetry is lost, the task keeps serving.
        ["essential"] = false,
        ["memoryReservation"] = environment.Collector.MemoryReservation,
        ["environment"] = new JsonArray(new JsonObject
        {
            ["name"] = "AOT_CONFIG_CONTENT",
            ["value"] = ConfigFor(service, environment),
        }),
        ["logConfiguration"] = TaskDefinitionTranslator.AwsLogs(service, ContainerName, environment),
        ["healthCheck"] = new JsonObject
        {
            ["command"] = new JsonArray("/healthcheck"),
            ["interval"] = 15,
            ["timeout"] = 5,
            ["retries"] = 3,
            ["startPeriod"] = 10,
        },
    };
}
