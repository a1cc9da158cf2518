using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions.Fargate;
using Bridge.Deploy.TaskDefinitions.Manifest;

namespace Bridge.Deploy.TaskDefinitions.Environments;

/// <summary>Checks that an environment file fits the manifest: sizes for every project, nothing for what is not there.</summary>
public static class EnvironmentConsistency
{
    public static void Check(AspireManifest manifest, DeploymentEnvironment environment)
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

    public static ServiceSettings SizingFor(string project, DeploymentEnvironment environment)
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
}
