namespace Bridge.Emulator.Nova;

/// <summary>One decoded Nova input event, with the fields the emulator acts on.</summary>
public sealed class InputEvent
{
    public required InputEventKind Kind { get; init; }

    public string? PromptName { get; init; }

    public string? ContentName { get; init; }

    /// <summary>contentStart: TEXT, AUDIO or TOOL.</summary>
    public string? ContentType { get; init; }

    public string? Role { get; init; }

    public bool Interactive { get; init; }

    /// <summary>contentStart AUDIO: the caller audio's rate; promptStart: the output rate asked for.</summary>
    public int SampleRateHertz { get; init; }

    public int SampleSizeBits { get; init; }

    public int ChannelCount { get; init; }

    /// <summary>textInput / toolResult: the content string.</summary>
    public string? Text { get; init; }

    /// <summary>audioInput: the decoded PCM16LE bytes.</summary>
    public byte[]? Audio { get; init; }

    /// <summary>contentStart TOOL: the toolUseId it answers.</summary>
    public string? ToolUseId { get; init; }

    /// <summary>promptStart: the tool names its toolConfiguration declares.</summary>
    public IReadOnlyList<string> DeclaredTools { get; init; } = [];

    /// <summary>promptStart: each declared tool's input schema (the JSON text of inputSchema.json).</summary>
    public IReadOnlyDictionary<string, string> DeclaredToolSchemas { get; init; } = new Dictionary<string, string>();

    /// <summary>sessionStart / promptStart: the event's body as received.</summary>
    public string? Json { get; init; }

    /// <summary>Why the event is malformed, or null.</summary>
    public string? Problem { get; init; }
}
