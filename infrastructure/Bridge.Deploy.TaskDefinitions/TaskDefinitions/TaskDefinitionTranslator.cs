using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions.Environments;
using Bridge.Deploy.TaskDefinitions.Fargate;
using Bridge.Deploy.TaskDefinitions.Manifest;

namespace Bridge.Deploy.TaskDefinitions.TaskDefinitions;

/// <summary>One generated task definition: the service (manifest project) it is for and its JSON.</summary>
public sealed record GeneratedTaskDefinition(string Service, JsonObject Definition);

/// <summary>
/// Turns every <c>project.v0</c> of the manifest into an ECS Fargate task definition (the RegisterTaskDefinition
/// JSON shape) for one environment. Anything it cannot translate faithfully stops it with an error naming the
/// resource and the field.
/// </summary>
public static class TaskDefinitionTranslator
{
    /// <summary>The non-root user of the .NET container images ("app").</summary>
    public const string AppUser = "1654";

    private static readonly Dictionary<string, string[]> KnownFields = new(StringComparer.Ordinal)
    {
        [AspireManifest.ProjectType] = ["type", "path", "args", "env", "bindings"],
        [AspireManifest.ParameterType] = ["type", "value", "inputs", "connectionString"],
        [AspireManifest.ValueType] = ["type", "value", "connectionString"],
    };

    private static readonly string[] KnownBindingFields = ["scheme", "protocol", "transport", "external", "targetPort", "port"];

    public static IReadOnlyList<GeneratedTaskDefinition> Translate(AspireManifest manifest, DeploymentEnvironment environment)
    {
        CheckResources(manifest);
        CheckEnvironmentAgainstManifest(manifest, environment);

        var resolver = new ExpressionResolver(manifest, environment);
        return manifest.ProjectNames
            .Select(project => new GeneratedTaskDefinition(project, TranslateProject(project, manifest.Resources[project], environment, resolver)))
            .ToList();
    }

    private static void CheckResources(AspireManifest manifest)
    {
        foreach (var (name, resource) in manifest.Resources)
        {
            var type = AspireManifest.TypeOf(resource);
            if (!KnownFields.TryGetValue(type, out var fields))
            {
                throw TranslationException.ForResource(name, "type",
                    $"'{type}' is not supported by the ECS translator (it supports {string.Join(", ", KnownFields.Keys)}).");
            }
            foreach (var (field, _) in resource)
            {
                if (!fields.Contains(field))
                {
                    throw TranslationException.ForResource(name, field, $"{type} field '{field}' is not supported by the ECS translator.");
                }
            }
        }
    }

    private static void CheckEnvironmentAgainstManifest(AspireManifest manifest, DeploymentEnvironment environment)
    {
        foreach (var service in environment.Services.Keys)
        {
            if (!manifest.Resources.TryGetValue(service, out var resource) || AspireManifest.TypeOf(resource) != AspireManifest.ProjectType)
            {
                throw environment.Error($"services.{service}", $"the manifest has no project '{service}'.");
            }
        }
        foreach (var parameter in environment.Parameters.Keys)
        {
            if (!TryGetParameter(manifest, parameter, out var secret))
            {
                throw environment.Error($"parameters.{parameter}", $"the manifest has no parameter '{parameter}'.");
            }
            if (secret)
            {
                throw environment.Error($"parameters.{parameter}",
                    $"'{parameter}' is a secret: its value must never be in a file; map it to an ARN under secrets.{parameter} instead.");
            }
        }
        foreach (var parameter in environment.Secrets.Keys)
        {
            if (!TryGetParameter(manifest, parameter, out var secret) || !secret)
            {
                throw environment.Error($"secrets.{parameter}", $"the manifest has no secret parameter '{parameter}'.");
            }
        }
    }

    private static bool TryGetParameter(AspireManifest manifest, string name, out bool secret)
    {
        secret = false;
        if (!manifest.Resources.TryGetValue(name, out var resource) || AspireManifest.TypeOf(resource) != AspireManifest.ParameterType)
        {
            return false;
        }
        secret = resource["inputs"] is JsonObject inputs &&
                 inputs.Any(input => input.Value?["secret"]?.GetValueKind() == JsonValueKind.True);
        return true;
    }

    private static JsonObject TranslateProject(string project, JsonObject resource, DeploymentEnvironment environment, ExpressionResolver resolver)
    {
        var sizing = CheckSize(project, environment);
        var (environmentVariables, secrets) = TranslateEnvironment(project, resource, environment, resolver);

        var app = new JsonObject
        {
            ["name"] = project,
            ["image"] = TemplatePlaceholders.Image,
            ["essential"] = true,
            ["user"] = AppUser,
            ["portMappings"] = PortMappings(project, resource, resolver),
            ["environment"] = environmentVariables,
            ["secrets"] = secrets,
        };
        if (resource["args"] is { } args)
        {
            app["command"] = Command(project, args, resolver);
        }
        app["dependsOn"] = new JsonArray(new JsonObject
        {
            ["containerName"] = OtelCollectorSidecar.ContainerName,
            ["condition"] = "START",
        });
        app["logConfiguration"] = AwsLogs(project, project, environment);
        app["stopTimeout"] = sizing.StopTimeout;
        app["readonlyRootFilesystem"] = true;
        app["mountPoints"] = new JsonArray(new JsonObject
        {
            ["sourceVolume"] = "tmp",
            ["containerPath"] = "/tmp",
            ["readOnly"] = false,
        });

        return new JsonObject
        {
            ["family"] = $"bridge-{environment.Name}-{project}",
            ["taskRoleArn"] = TemplatePlaceholders.TaskRoleArn,
            ["executionRoleArn"] = TemplatePlaceholders.ExecutionRoleArn,
            ["networkMode"] = "awsvpc",
            ["requiresCompatibilities"] = new JsonArray("FARGATE"),
            ["cpu"] = sizing.Cpu!.Value.ToString(CultureInfo.InvariantCulture),
            ["memory"] = sizing.Memory!.Value.ToString(CultureInfo.InvariantCulture),
            ["runtimePlatform"] = new JsonObject
            {
                ["cpuArchitecture"] = environment.CpuArchitecture,
                ["operatingSystemFamily"] = "LINUX",
            },
            ["containerDefinitions"] = new JsonArray(app, OtelCollectorSidecar.Container(project, environment)),
            // The root filesystem is read-only; .NET needs a writable /tmp (diagnostics, temporary files).
            ["volumes"] = new JsonArray(new JsonObject { ["name"] = "tmp" }),
        };
    }

    private static ServiceSettings CheckSize(string project, DeploymentEnvironment environment)
    {
        if (!environment.Services.TryGetValue(project, out var sizing))
        {
            throw environment.Error($"services.{project}", $"the manifest's project '{project}' has no sizing (cpu, memory).");
        }
        if (sizing.Cpu is not { } cpu)
        {
            throw environment.Error($"services.{project}.cpu", "is missing.");
        }
        if (sizing.Memory is not { } memory)
        {
            throw environment.Error($"services.{project}.memory", "is missing.");
        }
        if (FargateSizes.Check(cpu, memory) is { } problem)
        {
            throw environment.Error($"services.{project}.{(problem.StartsWith("cpu", StringComparison.Ordinal) ? "cpu" : "memory")}", problem);
        }
        if (environment.Collector!.MemoryReservation >= memory)
        {
            throw environment.Error("collector.memoryReservation",
                $"{environment.Collector.MemoryReservation} MiB leaves nothing for '{project}' in a task of {memory} MiB.");
        }
        return sizing;
    }

    private static JsonArray PortMappings(string project, JsonObject resource, ExpressionResolver resolver)
    {
        var mappings = new JsonArray();
        var ports = new HashSet<int>();
        if (resource["bindings"] is not JsonObject bindings || bindings.Count == 0)
        {
            throw TranslationException.ForResource(project, "bindings", "a service behind the load balancer needs an http binding.");
        }
        foreach (var (name, node) in bindings)
        {
            if (node is not JsonObject binding)
            {
                throw TranslationException.ForResource(project, $"bindings.{name}", "must be an object.");
            }
            foreach (var (field, _) in binding)
            {
                if (!KnownBindingFields.Contains(field))
                {
                    throw TranslationException.ForResource(project, $"bindings.{name}.{field}", "is not supported by the ECS translator.");
                }
            }
            var scheme = binding["scheme"]?.GetValue<string>();
            if (scheme is not ("http" or "https"))
            {
                throw TranslationException.ForResource(project, $"bindings.{name}.scheme",
                    $"'{scheme}' cannot be served behind an Application Load Balancer (http or https only).");
            }
            var protocol = binding["protocol"]?.GetValue<string>() ?? "tcp";
            if (protocol != "tcp")
            {
                throw TranslationException.ForResource(project, $"bindings.{name}.protocol", $"'{protocol}' is not supported (tcp only).");
            }
            var transport = binding["transport"]?.GetValue<string>() ?? "http";
            if (transport is not ("http" or "http2"))
            {
                throw TranslationException.ForResource(project, $"bindings.{name}.transport", $"'{transport}' is not supported (http or http2).");
            }

            // TLS ends at the load balancer: an https binding without a port of its own is the same container port.
            var port = resolver.ContainerPortOf(project, name);
            if (ports.Add(port))
            {
                mappings.Add(new JsonObject
                {
                    ["name"] = name,
                    ["containerPort"] = port,
                    ["protocol"] = "tcp",
                    ["appProtocol"] = transport,
                });
            }
        }
        return mappings;
    }

    private static (JsonArray Environment, JsonArray Secrets) TranslateEnvironment(
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

        foreach (var (name, value) in DeploymentOwnedVariables(project, environment))
        {
            secret.Remove(name);
            plain[name] = value;
        }
        plain.TryAdd("Bridge__PublicBaseUrl", environment.PublicBaseUrl!.GetLeftPart(UriPartial.Authority));

        return (NameValueArray(plain, "value"), NameValueArray(secret, "valueFrom"));
    }

    /// <summary>Set by the deployment whatever the manifest says: they describe ECS, not the app.</summary>
    private static IEnumerable<(string Name, string Value)> DeploymentOwnedVariables(string project, DeploymentEnvironment environment)
    {
        yield return ("OTEL_EXPORTER_OTLP_ENDPOINT", OtelCollectorSidecar.OtlpEndpoint);
        yield return ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        yield return ("OTEL_SERVICE_NAME", project);
        yield return ("OTEL_RESOURCE_ATTRIBUTES", $"deployment.environment.name={environment.Name}");
        // The load balancer's addresses are somewhere in the VPC: trust X-Forwarded-* from there only.
        yield return ("Bridge__TrustedProxies__0", environment.VpcCidr!);
    }

    private static JsonArray Command(string project, JsonNode args, ExpressionResolver resolver)
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

    internal static JsonObject AwsLogs(string service, string streamPrefix, DeploymentEnvironment environment) => new()
    {
        ["logDriver"] = "awslogs",
        ["options"] = new JsonObject
        {
            ["awslogs-group"] = $"{environment.LogGroupPrefix}/{service}",
            ["awslogs-region"] = TemplatePlaceholders.Region,
            ["awslogs-stream-prefix"] = streamPrefix,
            // Never block a call's threads on CloudWatch: buffer, and drop if the buffer fills.
            ["mode"] = "non-blocking",
            ["max-buffer-size"] = "25m",
        },
    };
}
