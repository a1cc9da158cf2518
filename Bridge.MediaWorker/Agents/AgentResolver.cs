using Bridge.Agents;
using Bridge.Agents.Profiles;
using Bridge.Agents.Prompts;
using Bridge.Agents.Tools;
using Bridge.Agents.Voices;
using Bridge.Audio;
using Bridge.HttpTools;
using Bridge.MediaWorker.Calls;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;
using Bridge.Security;
using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Agents;

/// <summary>
/// Resolves the agent of a call from its signed stream parameters: the profile the webhook named (or, when none is
/// named, the one for the number called), with the prompt's variables (an outbound call's own among them) filled at
/// this moment. Without profiles (<c>Agents:Source</c> unset) every call gets the configured agent: <c>Conversation:*</c>
/// and every registered <see cref="ICallTool"/>.
/// </summary>
public sealed partial class AgentResolver(
    AgentProfiles profiles,
    IEnumerable<ICallTool> registeredTools,
    HttpToolRunner httpTools,
    TwilioCallControl calls,
    IOptions<NovaSonicOptions> conversation,
    IOptions<AudioOptions> audio,
    TimeProvider time,
    ILogger<AgentResolver> logger)
{
    /// <summary>The agent's name when no profiles are configured.</summary>
    public const string ConfiguredAgentName = "configured";

    private readonly IReadOnlyList<ICallTool> _registeredTools = [.. registeredTools];

    /// <summary>The agent for the call <paramref name="callSid"/>, whose stream token has been verified.</summary>
    public CallAgent Resolve(string callSid, IReadOnlyDictionary<string, string> streamParameters)
    {
        var caller = streamParameters.GetValueOrDefault("from") ?? "";
        var called = streamParameters.GetValueOrDefault("to") ?? "";
        var named = streamParameters.GetValueOrDefault(AgentStreamParameter.Name);
        var baseSetup = new NovaSessionSetup { InputSampleRate = audio.Value.ModelInputRate, OutputSampleRate = audio.Value.ModelOutputRate };

        if (profiles.Catalog is not { } catalog)
        {
            if (named is not null)
            {
                LogProfilesOff(callSid, named);
            }
            return new CallAgent(ConfiguredAgentName, baseSetup with { Tools = [.. _registeredTools.Select(t => t.Definition)] }, _registeredTools, null);
        }

        var profile = named is null ? catalog.ForCalledNumber(called) : catalog.Find(named);
        if (profile is null)
        {
            // The api knows an agent this worker does not: a deployment in progress. The number's agent here, else the default.
            profile = catalog.ForCalledNumber(called);
            LogUnknownAgent(callSid, named!, profile.Name);
        }

        var variables = new PromptVariables(caller, called, profile.Name, time.GetUtcNow(), profile.TimeZone, OutboundVariables.FromStreamParameters(streamParameters));
        var tools = profile.Tools.Select(name => Tool(name, profile, catalog, new ToolCallContext(callSid, profile.Name, caller, called))).ToList();
        var setup = baseSetup with
        {
            SystemPrompt = SystemPrompt(profile, variables),
            Greeting = profile.Greeting?.Render(variables),
            Voice = profile.Voice,
            EndpointingSensitivity = profile.EndpointingSensitivity,
            MaxTokens = profile.Inference.MaxTokens,
            TopP = profile.Inference.TopP,
            Temperature = profile.Inference.Temperature,
            SystemSpeech = profile.SystemSpeech,
            Tools = [.. tools.Select(t => t.Definition)],
        };
        return new CallAgent(profile.Name, setup, tools, profile.MaxDuration);
    }

    private string SystemPrompt(AgentProfile profile, PromptVariables variables)
    {
        var prompt = profile.SystemPrompt?.Render(variables) ?? conversation.Value.SystemPrompt;
        // Nova Sonic takes no language setting; AWS's prompting guide asks for the language in the system prompt.
        return profile.Language is { } locale
            ? $"{prompt}\n\nSpeak {NovaVoices.Languages[locale]} ({locale}) with the caller."
            : prompt;
    }

    private ICallTool Tool(string name, AgentProfile profile, AgentCatalog catalog, ToolCallContext call) => name switch
    {
        BuiltInTools.TransferCall when profile.TransferDestinations.Count > 0 => new TransferToDestinationTool(profile.TransferDestinations, calls),
        _ when catalog.Tools.TryGetValue(name, out var http) => new HttpCallTool(http, httpTools, call),
        // hang_up, and transfer_call without named destinations (it transfers to Calls:TransferTarget).
        _ => _registeredTools.First(t => t.Definition.Name == name),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid} names agent {Agent}, but this worker has no Agents:Source; it gets the configured agent")]
    private partial void LogProfilesOff(string callSid, string agent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid} names agent {Agent}, which this worker's profiles lack; it gets {Instead}")]
    private partial void LogUnknownAgent(string callSid, string agent, string instead);
}
