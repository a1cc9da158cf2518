using Microsoft.Extensions.Configuration;

namespace Bridge.AppHost;

/// <summary>
/// The local Nova Sonic emulator (tools/Bridge.Emulator) in place of Bedrock when no AWS credentials are found
/// or <c>Bedrock:UseEmulator=true</c>: the media worker's real Bedrock client talks to it over HTTP/2 and signs
/// with the emulator's credentials. Never part of the published manifest.
/// </summary>
internal static class NovaEmulatorExtensions
{
    public const string ResourceName = "nova-emulator";

    // Local-only credentials the emulator accepts; they sign nothing outside this machine.
    private const string AccessKeyId = "AKIALOCALEMULATOR001";
    private const string SecretAccessKey = "local-emulator-secret-not-an-aws-key";

    private const string UseEmulatorKey = "Bedrock:UseEmulator";

    public static bool ShouldUseEmulator(this IDistributedApplicationBuilder builder) =>
        !builder.ExecutionContext.IsPublishMode && (UseEmulatorSetting(builder.Configuration) ?? !AwsCredentialsProbe.Found());

    /// <summary>The setting, or null when it is not set; a value that is not a boolean stops the AppHost with one line, as the services do.</summary>
    private static bool? UseEmulatorSetting(IConfiguration configuration)
    {
        var value = configuration[UseEmulatorKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (bool.TryParse(value, out var useEmulator))
        {
            return useEmulator;
        }
        Console.Error.WriteLine($"Configuration error: {UseEmulatorKey} is '{value}', which is not true or false.");
        Environment.Exit(2);
        return null;
    }

    public static IResourceBuilder<ProjectResource> AddNovaEmulator(this IDistributedApplicationBuilder builder, IResourceBuilder<ParameterResource> region)
    {
        var emulator = builder.AddProject<Projects.Bridge_Emulator>(ResourceName)
            .WithHttpEndpoint(name: "model", env: "Emulator__Port")
            .WithHttpEndpoint(name: "health", env: "Emulator__HealthPort")
            .WithHttpHealthCheck("/health/readiness", endpointName: "health")
            .AsLocalService()
            .WithEnvironment("Emulator__AccessKeyId", AccessKeyId)
            .WithEnvironment("Emulator__SecretAccessKey", SecretAccessKey)
            .WithEnvironment("Emulator__Region", region)
            .ExcludeFromManifest();

        // Emulator:* settings given to the AppHost (SessionLimit, Mode, Faults, ...) reach the emulator.
        foreach (var setting in builder.Configuration.GetSection("Emulator").AsEnumerable(makePathsRelative: true))
        {
            if (setting.Value is not null)
            {
                emulator.WithEnvironment("Emulator__" + setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value);
            }
        }
        return emulator;
    }

    /// <summary>Points the worker's Bedrock client at the emulator with its credentials.</summary>
    public static IResourceBuilder<ProjectResource> WithNovaEmulator(this IResourceBuilder<ProjectResource> worker, IResourceBuilder<ProjectResource> emulator) =>
        worker
            .WithEnvironment("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", emulator.GetEndpoint("model"))
            .WithEnvironment("AWS_ACCESS_KEY_ID", AccessKeyId)
            .WithEnvironment("AWS_SECRET_ACCESS_KEY", SecretAccessKey)
            .WaitFor(emulator);
}
