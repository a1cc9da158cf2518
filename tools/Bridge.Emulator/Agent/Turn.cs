using Bridge.Emulator.Nova;

namespace Bridge.Emulator.Agent;

/// <summary>
/// One response of the emulated model. With a <see cref="Tool"/> it asks for the tool and says nothing; otherwise
/// it says <see cref="Audio"/> (PCM16 at the output rate) between a SPECULATIVE and a FINAL assistant transcript.
/// </summary>
public sealed record Turn(
    string? UserTranscript,
    string? AssistantText,
    short[] Audio,
    ToolCall? Tool,
    TokenUsage Usage);

/// <summary>A tool the model calls: the toolUse it emits and then waits on.</summary>
public sealed record ToolCall(string ToolName, string ToolUseId, string Input);
