using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions.Environments;
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

    public static IReadOnlyList<GeneratedTaskDefinition> Translate(AspireManifest manifest, DeploymentEnvironment environment)
    {
        ManifestSupport.Check(manifest);
        EnvironmentConsistency.Check(manifest, environment);

        var resolver = new ExpressionResolver(manifest, environment);
        return manifest.ProjectNames
            .Select(project => new GeneratedTaskDefinition(project, TranslateProject(project, manifest.Resources[project], environment, resolver)))
            .ToList();
    }

    private static JsonObject TranslateProject(string project, JsonObject resource, DeploymentEnvironment environment, ExpressionResolver resolver)
    {
        var sizing = EnvironmentConsistency.SizingFor(project, environment);
        var (environmentVariables, secrets) = ContainerEnvironment.Translate(project, resource, environment, resolver);

        var app = new JsonObject
        {
            ["name"] = project,
            ["image"] = TemplatePlaceholders.Image,
            ["essential"] = true,
            ["user"] = AppUser,
            ["portMappings"] = PortMappings.For(project, resource, resolver),
            ["environment"] = environmentVariables,
            ["secrets"] = secrets,
        };
        if (resource["args"] is { } args)
        {
            app["command"] = ContainerEnvironment.Command(project, args, resolver);
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
