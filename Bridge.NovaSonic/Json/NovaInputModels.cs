namespace Bridge.NovaSonic.Json;

// The input events of the Nova Sonic conversation protocol, in the property order AWS's SDKs send them.
// Each is sent wrapped as {"event":{"<name>":{...}}}.

internal sealed record NovaInputEnvelope(NovaInputEvent Event);

internal sealed class NovaInputEvent
{
    public SessionStartEvent? SessionStart { get; init; }
    public PromptStartEvent? PromptStart { get; init; }
    public ContentStartEvent? ContentStart { get; init; }
    public TextInputEvent? TextInput { get; init; }
    public TextInputEvent? ToolResult { get; init; }
    public ContentEndEvent? ContentEnd { get; init; }
    public PromptEndEvent? PromptEnd { get; init; }
    public SessionEndEvent? SessionEnd { get; init; }
}

internal sealed record SessionStartEvent(InferenceConfiguration InferenceConfiguration, TurnDetectionConfiguration? TurnDetectionConfiguration);

internal sealed record InferenceConfiguration(int MaxTokens, double TopP, double Temperature);

internal sealed record TurnDetectionConfiguration(string EndpointingSensitivity);

internal sealed record PromptStartEvent(
    string PromptName,
    MediaTypeConfiguration TextOutputConfiguration,
    AudioOutputConfiguration AudioOutputConfiguration,
    MediaTypeConfiguration? ToolUseOutputConfiguration,
    ToolConfiguration? ToolConfiguration);

internal sealed record MediaTypeConfiguration(string MediaType);

internal sealed record AudioOutputConfiguration(
    string MediaType, int SampleRateHertz, int SampleSizeBits, int ChannelCount, string VoiceId, string Encoding, string AudioType);

internal sealed record ToolConfiguration(IReadOnlyList<ToolEntry> Tools);

internal sealed record ToolEntry(ToolSpec ToolSpec);

internal sealed record ToolSpec(string Name, string Description, ToolInputSchema InputSchema);

/// <summary>The schema travels as a JSON string, not as an object.</summary>
internal sealed record ToolInputSchema(string Json);

internal sealed record ContentStartEvent(
    string PromptName,
    string ContentName,
    string Type,
    bool Interactive,
    string Role,
    MediaTypeConfiguration? TextInputConfiguration = null,
    AudioInputConfiguration? AudioInputConfiguration = null,
    ToolResultInputConfiguration? ToolResultInputConfiguration = null);

internal sealed record AudioInputConfiguration(
    string MediaType, int SampleRateHertz, int SampleSizeBits, int ChannelCount, string AudioType, string Encoding);

internal sealed record ToolResultInputConfiguration(string ToolUseId, string Type, MediaTypeConfiguration TextInputConfiguration);

internal sealed record TextInputEvent(string PromptName, string ContentName, string Content);

internal sealed record ContentEndEvent(string PromptName, string ContentName);

internal sealed record PromptEndEvent(string PromptName);

internal sealed record SessionEndEvent;
