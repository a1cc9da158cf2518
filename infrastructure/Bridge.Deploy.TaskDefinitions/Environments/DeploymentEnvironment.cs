using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Bridge.Deploy.TaskDefinitions.Environments;

/// <summary>
/// One environment's deployment file (<c>infrastructure/environments/&lt;env&gt;/deployment.json</c>): what the manifest
/// cannot know — sizes, the public URL, the VPC range, values of non-secret parameters and the ARNs of secret ones.
/// Values may hold OpenTofu template placeholders (<c>${name}</c>) only where ARNs go.
/// </summary>
public sealed partial class DeploymentEnvironment
{
    public const string DefaultCpuArchitecture = "X86_64";

    private static readonly JsonSerializerOptions ReadOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Where it was read from, for error messages.</summary>
    [JsonIgnore]
    public string Source { get; private set; } = "deployment.json";

    /// <summary>Short environment name (dev, prod): part of task families and log group names.</summary>
    public string? Name { get; init; }

    /// <summary>The https URL of the load balancer's DNS name: what Twilio dials and what service URLs resolve to.</summary>
    public Uri? PublicBaseUrl { get; init; }

    /// <summary>The VPC's CIDR: the load balancer's addresses, trusted for X-Forwarded-* headers.</summary>
    public string? VpcCidr { get; init; }

    /// <summary>X86_64 or ARM64; the images must be built for the same.</summary>
    public string CpuArchitecture { get; init; } = DefaultCpuArchitecture;

    /// <summary>Prefix of the services' log groups: <c>&lt;prefix&gt;/&lt;service&gt;</c>.</summary>
    public string? LogGroupPrefix { get; init; }

    /// <summary>CloudWatch namespace of the metrics the collector extracts (bridge.*).</summary>
    public string? MetricsNamespace { get; init; }

    /// <summary>Values of non-secret manifest parameters; a parameter absent here takes its manifest default.</summary>
    public Dictionary<string, string> Parameters { get; init; } = [];

    /// <summary>Secret manifest parameter → Secrets Manager or SSM ARN (or a <c>${placeholder}</c> OpenTofu fills in).</summary>
    public Dictionary<string, string> Secrets { get; init; } = [];

    public CollectorSettings? Collector { get; init; }

    /// <summary>Agent profiles and their HTTP tools' secrets; none when absent (every call gets the configured agent).</summary>
    public AgentsSettings? Agents { get; init; }

    /// <summary>Sizing per manifest project.</summary>
    public Dictionary<string, ServiceSettings> Services { get; init; } = [];

    public static DeploymentEnvironment Load(string path) => Parse(File.ReadAllText(path), path);

    public static DeploymentEnvironment Parse(string json, string source)
    {
        DeploymentEnvironment? environment;
        try
        {
            environment = JsonSerializer.Deserialize<DeploymentEnvironment>(json, ReadOptions);
        }
        catch (JsonException e)
        {
            throw new TranslationException($"{source}, field '{e.Path?.TrimStart('$', '.')}': {e.Message}");
        }
        if (environment is null)
        {
            throw new TranslationException($"{source} is empty.");
        }
        environment.Source = source;
        environment.Validate();
        return environment;
    }

    private void Validate()
    {
        if (Name is null || !EnvironmentName().IsMatch(Name))
        {
            throw Error("name", "must be lower-case letters, digits and dashes, starting with a letter (e.g. dev).");
        }
        if (PublicBaseUrl is not { IsAbsoluteUri: true } url || url.Scheme != Uri.UriSchemeHttps ||
            url.AbsolutePath != "/" || url.Query.Length > 0)
        {
            throw Error("publicBaseUrl", "must be an absolute https URL without a path, such as https://voice.example.com.");
        }
        if (VpcCidr is null || !IPNetwork.TryParse(VpcCidr, out _))
        {
            throw Error("vpcCidr", "must be a CIDR network such as 10.40.0.0/16.");
        }
        if (CpuArchitecture is not ("X86_64" or "ARM64"))
        {
            throw Error("cpuArchitecture", "must be X86_64 or ARM64.");
        }
        if (string.IsNullOrWhiteSpace(LogGroupPrefix) || !LogGroupPrefix.StartsWith('/'))
        {
            throw Error("logGroupPrefix", "must be a log group path such as /ecs/bridge-dev.");
        }
        if (string.IsNullOrWhiteSpace(MetricsNamespace))
        {
            throw Error("metricsNamespace", "must name the CloudWatch namespace, such as Bridge/dev.");
        }
        foreach (var (parameter, arn) in Secrets)
        {
            if (!SecretReference().IsMatch(arn))
            {
                throw Error($"secrets.{parameter}",
                    "must be a Secrets Manager or SSM parameter ARN (arn:aws:secretsmanager:... or arn:aws:ssm:...) or a ${placeholder} OpenTofu fills in.");
            }
        }
        if (Collector is null || string.IsNullOrWhiteSpace(Collector.Image))
        {
            throw Error("collector.image", "must name the ADOT collector image.");
        }
        if (Collector.MemoryReservation is < 32)
        {
            throw Error("collector.memoryReservation", "must be at least 32 (MiB).");
        }
        foreach (var (service, settings) in Services)
        {
            settings.Validate(this, service);
        }
        Agents?.Validate(this);
    }

    internal TranslationException Error(string field, string problem) =>
        TranslationException.ForEnvironment(Source, field, problem);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex(@"^(arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]*:[^\s]*:(secret|parameter)[:/]\S+|\$\{[a-z_][a-z0-9_]*\})$")]
    private static partial Regex SecretReference();
}

public sealed class CollectorSettings
{
    public string? Image { get; init; }

    /// <summary>Soft memory reservation of the sidecar in MiB; it comes out of the task's memory.</summary>
    public int MemoryReservation { get; init; } = 128;
}

public sealed class ServiceSettings
{
    /// <summary>Task CPU units (256 = 0.25 vCPU).</summary>
    public int? Cpu { get; init; }

    /// <summary>Task memory in MiB.</summary>
    public int? Memory { get; init; }

    /// <summary>Seconds between SIGTERM and SIGKILL (Fargate allows 2..120).</summary>
    public int StopTimeout { get; init; } = 30;

    /// <summary>The port the app listens on when the manifest's binding has no targetPort (.NET images use 8080).</summary>
    public int ContainerPort { get; init; } = 8080;

    internal void Validate(DeploymentEnvironment environment, string service)
    {
        if (StopTimeout is < 2 or > 120)
        {
            throw environment.Error($"services.{service}.stopTimeout", $"is {StopTimeout}; Fargate allows 2 to 120 seconds.");
        }
        if (ContainerPort is < 1 or > 65535)
        {
            throw environment.Error($"services.{service}.containerPort", $"is {ContainerPort}; a port is 1 to 65535.");
        }
    }
}
