using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Bridge.Agents;
using Bridge.Agents.Sources;
using Bridge.Audio;
using Bridge.Emulator;
using Bridge.HttpTools;
using Bridge.MediaWorker.Agents;
using Bridge.MediaWorker.Calls;
using Bridge.TwilioRest;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;
using Bridge.Tests.Agents;
using Bridge.Tests.NovaSonic;
using Bridge.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.MediaWorker.Agents;

/// <summary>
/// The worker resolves a call's agent from its signed parameters, and the model is opened with it: what the
/// emulator receives (system prompt with variables filled, voice, inference, turn detection, tools) is the profile's.
/// </summary>
public sealed class AgentResolverTests : IAsyncLifetime
{
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset CallStart = new(2026, 1, 13, 14, 30, 0, TimeSpan.Zero);

    private readonly ProfileDocuments _documents = new();
    private readonly ServiceProvider _meters = TestTelemetry.NewMeters();
    private EmulatorServer _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, OutputSpeed = 20 });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        _meters.Dispose();
        _documents.Dispose();
    }

    private AgentResolver Resolver(string? source)
    {
        var environment = new HostingEnvironment { ContentRootPath = _documents.Folder, EnvironmentName = Environments.Production };
        var profiles = new AgentProfiles(
            Options.Create(new AgentsOptions { Source = source }),
            new AgentCatalogLoader(environment, new AgentsDocumentSources(), NullLogger<AgentCatalogLoader>.Instance));
        var control = new TwilioCallControl(new HttpClient(), "f1e2d3c4b5a697887766554433221100", "AC0123456789abcdef0123456789abcdef", NullLogger<TwilioCallControl>.Instance);
        var runner = new HttpToolRunner(new HttpToolClient(), Options.Create(new HttpToolsOptions()), new HttpToolTelemetry(_meters.MeterFactory()),
            TimeProvider.System, NullLogger<HttpToolRunner>.Instance);
        ICallTool[] registered = [new HangUpTool(control), new TransferCallTool(control, Options.Create(new CallOptions { TransferTarget = "+15005550001" }), NullLogger<TransferCallTool>.Instance)];
        return new AgentResolver(profiles, registered, runner, control, Options.Create(new NovaSonicOptions()),
            Options.Create(new AudioOptions { ModelInputRate = 16_000, ModelOutputRate = 16_000 }),
            new FakeTimeProvider(CallStart), NullLogger<AgentResolver>.Instance);
    }

    private string Source() => "file:" + _documents.Write(ProfileDocuments.Valid);

    private static Dictionary<string, string> Parameters(string to, string? agent)
    {
        var parameters = new Dictionary<string, string> { ["callSid"] = CallSid, ["from"] = "+14155552671", ["to"] = to, ["token"] = "v1.0.x" };
        if (agent is not null)
        {
            parameters[AgentStreamParameter.Name] = agent;
        }
        return parameters;
    }

    private async Task<Bridge.Emulator.Nova.ReceivedPrompt> OpenAsync(CallAgent agent)
    {
        var session = await EmulatedNova.Factory(_emulator).OpenAsync(agent.Setup with { Greeting = agent.Setup.Greeting ?? "" }, CancellationToken.None);
        await using (session)
        {
            // The greeting (if any) is the last text of the opening: once it has arrived, everything before it has.
            using var timeout = new CancellationTokenSource(EmulatedNova.Wait);
            while (_emulator.Prompts.Last is not { PromptStartJson: not null } prompt ||
                   (agent.Setup.Greeting is not null && !prompt.Texts.Any(t => t.Interactive)))
            {
                await Task.Delay(20, timeout.Token);
            }
        }
        return _emulator.Prompts.Last!;
    }

    [Fact]
    public async Task The_named_agent_s_prompt_voice_settings_and_tools_reach_the_model()
    {
        var agent = Resolver(Source()).Resolve(CallSid, Parameters(ProfileDocuments.SalesNumber, "sales"));

        var prompt = await OpenAsync(agent);

        Assert.Equal("sales", agent.Name);
        Assert.Equal(TimeSpan.FromMinutes(10), agent.MaxDuration);
        Assert.Equal(
            "You sell boats. The caller is +14155552671, calling +15005550006; it is Tuesday 13 January 2026, 09:30 (America/New_York).",
            prompt.SystemPrompt);
        Assert.Contains(prompt.Texts, t => t is { Role: "USER", Interactive: true, Text: "Greet the caller on behalf of sales." });

        using var promptStart = JsonDocument.Parse(prompt.PromptStartJson!);
        Assert.Equal("tiffany", promptStart.RootElement.GetProperty("audioOutputConfiguration").GetProperty("voiceId").GetString());
        var tools = promptStart.RootElement.GetProperty("toolConfiguration").GetProperty("tools").EnumerateArray()
            .Select(t => t.GetProperty("toolSpec")).ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(["order_status", "transfer_call", "hang_up"], tools.Keys);
        Assert.Equal("Looks up an order by its number.", tools["order_status"].GetProperty("description").GetString());
        using var orderSchema = JsonDocument.Parse(tools["order_status"].GetProperty("inputSchema").GetProperty("json").GetString()!);
        Assert.Equal("orderNumber", orderSchema.RootElement.GetProperty("required")[0].GetString());
        using var transferSchema = JsonDocument.Parse(tools["transfer_call"].GetProperty("inputSchema").GetProperty("json").GetString()!);
        Assert.Equal(["billing", "warehouse"], transferSchema.RootElement.GetProperty("properties").GetProperty("destination").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()));

        using var sessionStart = JsonDocument.Parse(prompt.SessionStartJson!);
        var inference = sessionStart.RootElement.GetProperty("inferenceConfiguration");
        Assert.Equal((512, 0.9, 0.3), (inference.GetProperty("maxTokens").GetInt32(), inference.GetProperty("topP").GetDouble(), inference.GetProperty("temperature").GetDouble()));
        Assert.Equal("HIGH", sessionStart.RootElement.GetProperty("turnDetectionConfiguration").GetProperty("endpointingSensitivity").GetString());
    }

    [Fact]
    public async Task An_agent_with_a_language_is_told_to_speak_it_and_uses_its_own_time_zone_and_prompt_file()
    {
        var agent = Resolver(Source()).Resolve(CallSid, Parameters(ProfileDocuments.SupportNumber, "support"));

        var prompt = await OpenAsync(agent);

        Assert.Equal("Vous êtes le support. Il est Tuesday 13 January 2026, 15:30.\n\nSpeak French (fr-FR) with the caller.", prompt.SystemPrompt);
        using var promptStart = JsonDocument.Parse(prompt.PromptStartJson!);
        Assert.Equal("ambre", promptStart.RootElement.GetProperty("audioOutputConfiguration").GetProperty("voiceId").GetString());
        Assert.False(promptStart.RootElement.TryGetProperty("toolConfiguration", out _));
    }

    [Theory]
    [InlineData(null, "sales")]
    [InlineData("retired-agent", "sales")]
    public void Without_a_known_agent_name_the_number_called_chooses(string? named, string expected)
    {
        var agent = Resolver(Source()).Resolve(CallSid, Parameters(ProfileDocuments.SalesNumber, named));

        Assert.Equal(expected, agent.Name);
    }

    [Fact]
    public void The_default_agent_without_settings_of_its_own_gets_the_configured_conversation()
    {
        var agent = Resolver(Source()).Resolve(CallSid, Parameters("+15005559999", "front-desk"));

        Assert.Equal("front-desk", agent.Name);
        Assert.Equal(new NovaSonicOptions().SystemPrompt, agent.Setup.SystemPrompt);
        Assert.Null(agent.Setup.Voice);
        Assert.Equal(["hang_up", "transfer_call"], agent.Tools.Select(t => t.Definition.Name));
        // transfer_call without named destinations is the configured one (Calls:TransferTarget).
        Assert.IsType<TransferCallTool>(agent.Tools[1]);
    }

    [Fact]
    public void Without_profiles_every_call_gets_the_configured_agent_and_every_registered_tool()
    {
        var agent = Resolver(source: null).Resolve(CallSid, Parameters(ProfileDocuments.SalesNumber, "sales"));

        Assert.Equal(AgentResolver.ConfiguredAgentName, agent.Name);
        Assert.Null(agent.Setup.SystemPrompt);
        Assert.Equal(["hang_up", "transfer_call"], agent.Setup.Tools.Select(t => t.Name));
        Assert.Equal((16_000, 16_000), (agent.Setup.InputSampleRate, agent.Setup.OutputSampleRate));
    }
}
