using Microsoft.Extensions.Configuration;

namespace Bridge.AppHost;

/// <summary>
/// Agent profiles in local runs: <c>Agents:Source</c> given to the AppHost (user secrets, appsettings), else the
/// sample profiles (samples/agents.sample.json) with their HTTP tool served by the sample backend
/// (samples/Bridge.SampleToolBackend), which checks every request's signature. <c>HttpTools:*</c> settings given to
/// the AppHost reach the worker. Never part of the published manifest: deployments name their own profiles.
/// </summary>
internal static class SampleAgentsExtensions
{
    public const string BackendResourceName = "sample-tool-backend";
    public const string SampleTool = "order_status";

    /// <summary>The emulator's triggers with the sample's: its defaults, and key 7 asks the order desk for order 1042.</summary>
    private static readonly (string Contains, string Tool, string Input)[] EmulatorTriggers =
    [
        ("pressed 9", "hang_up", "{}"),
        ("pressed 0", "transfer_call", "auto"),
        ("pressed 7", SampleTool, """{"orderNumber":"1042"}"""),
    ];

    public static void AddSampleAgents(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> api,
        IResourceBuilder<ProjectResource> worker,
        IResourceBuilder<ParameterResource> outboundCallbackSecret,
        IResourceBuilder<ProjectResource>? softphone = null)
    {
        foreach (var setting in builder.Configuration.GetSection("HttpTools").AsEnumerable(makePathsRelative: true))
        {
            if (setting.Value is not null)
            {
                worker.WithEnvironment("HttpTools__" + setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value);
            }
        }
        if (builder.Configuration["Agents:Source"] is { Length: > 0 } source)
        {
            api.WithEnvironment("Agents__Source", source);
            worker.WithEnvironment("Agents__Source", source);
            softphone?.WithEnvironment("Agents__Source", source);
            return;
        }

        var sample = "file:" + Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "samples", "agents.sample.json"));
        var secret = builder.AddParameter("sample-tool-secret", new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);
        var backend = builder.AddProject<Projects.Bridge_SampleToolBackend>(BackendResourceName)
            .AsLocalService()
            .WithHttpHealthCheck("/health/readiness")
            .WithEnvironment("SampleToolBackend__Secret", secret)
            // It also receives outbound calls' outcomes (docs/outbound.md), signed with the api's callback secret.
            .WithEnvironment("SampleToolBackend__CallbackSecret", outboundCallbackSecret)
            .ExcludeFromManifest();

        api.WithEnvironment("Agents__Source", sample);
        // The softphone offers the same agents, each with the number that reaches it.
        softphone?.WithEnvironment("Agents__Source", sample);
        worker.WithEnvironment("Agents__Source", sample)
            .WithEnvironment($"HttpTools__{SampleTool}__Secret", secret)
            .WithEnvironment($"HttpTools__{SampleTool}__Url", ReferenceExpression.Create($"{backend.GetEndpoint("http")}/tools/order-status"))
            .WaitFor(backend);

        // The emulator understands no words: a key press is how a local caller makes it use the sample's tool.
        if (!builder.Configuration.GetSection("Emulator:ToolTriggers").Exists() &&
            builder.Resources.OfType<ProjectResource>().FirstOrDefault(r => r.Name == NovaEmulatorExtensions.ResourceName) is { } emulator)
        {
            var emulatorBuilder = builder.CreateResourceBuilder(emulator);
            for (var i = 0; i < EmulatorTriggers.Length; i++)
            {
                var (contains, tool, input) = EmulatorTriggers[i];
                emulatorBuilder
                    .WithEnvironment($"Emulator__ToolTriggers__{i}__Contains", contains)
                    .WithEnvironment($"Emulator__ToolTriggers__{i}__ToolName", tool)
                    .WithEnvironment($"Emulator__ToolTriggers__{i}__Input", input);
            }
        }
    }
}
