using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions.Environments;
using Bridge.Deploy.TaskDefinitions.Manifest;

namespace Bridge.Deploy.TaskDefinitions.TaskDefinitions;

/// <summary>
/// The app container's <c>environment</c>, <c>secrets</c> and <c>command</c>: the manifest's values resolved, secret
/// parameters as Secrets Manager references only, and the variables the deployment itself owns.
/// </summary>
internal static class ContainerEnvironment
{
    public static (JsonArray Environment, JsonArray Secrets) Translate(
        string project, JsonObject resource, DeploymentEnvironment environment, ExpressionResolver resolver)
    {
        var plain = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secret = new SortedDictionary<string, string>(StringComparer.Ordinal);

        if (resource["env"] is { } and not JsonObject)
        {
            throw TranslationException.ForResource(project, "env", "must be an object.");
        }
        foreach (var (name, node) in resource["env"] as JsonObject ?? [])
        {
            var field = $"env.{name}";
            if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                throw TranslationException.ForResource(project, field, "must be a string.");
            }
            switch (resolver.Resolve(project, field, value.GetValue<string>()))
            {
                case ResolvedValue.Text text:
                    plain[name] = CheckLiteral(project, field, text.Value);
                    break;
                case ResolvedValue.SecretParameter reference:
                    secret[name] = environment.Secrets.TryGetValue(reference.ParameterName, out var arn)
                        ? arn
                        : throw TranslationException.ForResource(project, field,
                            $"secret parameter '{reference.ParameterName}' has no ARN: set secrets.{reference.ParameterName} in {environment.Source}.");
                    break;
            }
        }

        foreach (var (name, value) in DeploymentOwnedVariables(project, environment, resolver))
        {
            secret.Remove(name);
            plain[name] = value;
        }
        plain.TryAdd("Bridge__PublicBaseUrl", environment.PublicBaseUrl!.GetLeftPart(UriPartial.Authority));
        AddAgents(project, environment, plain, secret);

        return (NameValueArray(plain, "value"), NameValueArray(secret, "valueFrom"));
    }

    /// <summary>Set by the deployment whatever the manifest says: they describe ECS, not the app.</summary>
    private static IEnumerable<(string Name, string Value)> DeploymentOwnedVariables(string project, DeploymentEnvironment environment, ExpressionResolver resolver)
    {
        yield return ("OTEL_EXPORTER_OTLP_ENDPOINT", OtelCollectorSidecar.OtlpEndpoint);
        yield return ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        yield return ("OTEL_SERVICE_NAME", project);
        yield return ("OTEL_RESOURCE_ATTRIBUTES", $"deployment.environment.name={environment.Name}");
        // The load balancer's addresses are somewhere in the VPC: trust X-Forwarded-* from there only.
        yield return ("Bridge__TrustedProxies__0", environment.VpcCidr!);
        if (project == "api" &&
            resolver.Resolve(project, "Outbound__Workers", $"{{{WorkerProject}.bindings.http.targetPort}}") is ResolvedValue.Text { Value: var port })
        {
            // Every worker task under its Cloud Map name (infrastructure/modules/bridge: <name>.internal), asked for a free slot.
            yield return ("Outbound__Workers", $"http://{WorkerProject}.bridge-{environment.Name}.internal:{port}");
        }
        if (project == WorkerProject)
        {
            yield return ("Calls__DrainTimeout", WorkerDrainTimeout(environment).ToString("c", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// ECS kills the task <c>stopTimeout</c> after SIGTERM. The worker's shutdown is its drain, then up to 15 s for the
    /// model's goodbyes and 15 s for conversation callbacks still under way (Bridge.MediaWorker's host set-up), so
    /// the drain gets what is left of the stop timeout after those and a few seconds to exit.
    /// </summary>
    private static TimeSpan WorkerDrainTimeout(DeploymentEnvironment environment)
    {
        var stopTimeout = EnvironmentConsistency.SizingFor(WorkerProject, environment).StopTimeout;
        if (stopTimeout < WorkerShutdownAfterDrainSeconds)
        {
            throw environment.Error($"services.{WorkerProject}.stopTimeout",
                $"is {stopTimeout}; the media worker needs at least {WorkerShutdownAfterDrainSeconds} s after SIGTERM (15 s for goodbyes, 15 s for callbacks, 5 s to exit).");
        }
        return TimeSpan.FromSeconds(stopTimeout - WorkerShutdownAfterDrainSeconds);
    }

    private const int WorkerShutdownAfterDrainSeconds = 35;

    private const string WorkerProject = "media-worker";

    /// <summary>
    /// Both services read the same profile document (the api picks the agent, the worker runs it); the worker signs its
    /// HTTP tools' requests with secrets from Secrets Manager.
    /// </summary>
    private static void AddAgents(string project, DeploymentEnvironment environment, SortedDictionary<string, string> plain, SortedDictionary<string, string> secret)
    {
        if (environment.Agents is not { } agents)
        {
            return;
        }
        plain["Agents__Source"] = agents.SourceFor(environment.Name!);
        if (project != WorkerProject)
        {
            return;
        }
        foreach (var tool in agents.HttpTools)
        {
            secret[$"HttpTools__{tool}__Secret"] = AgentsSettings.SecretPlaceholder(tool);
        }
    }

    public static JsonArray Command(string project, JsonNode args, ExpressionResolver resolver)
    {
        if (args is not JsonArray items)
        {
            throw TranslationException.ForResource(project, "args", "must be an array of strings.");
        }
        var command = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"args[{i}]";
            if (items[i] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                throw TranslationException.ForResource(project, field, "must be a string.");
            }
            command.Add(resolver.Resolve(project, field, value.GetValue<string>()) switch
            {
                ResolvedValue.Text text => CheckLiteral(project, field, text.Value),
                _ => throw TranslationException.ForResource(project, field,
                    "a secret cannot be a command-line argument (it would be visible in the task definition); pass it as an environment variable."),
            });
        }
        return command;
    }

    private static string CheckLiteral(string project, string field, string value) =>
        TemplatePlaceholders.LooksLikeTemplateSyntax(value)
            ? throw TranslationException.ForResource(project, field,
                $"\"{value}\" contains '${{' or '%{{', which OpenTofu's templatefile() would take for a placeholder.")
            : value;

    private static JsonArray NameValueArray(SortedDictionary<string, string> entries, string valueField) =>
        new([.. entries.Select(entry => (JsonNode)new JsonObject { ["name"] = entry.Key, [valueField] = entry.Value })]);
}
