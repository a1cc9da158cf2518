namespace Bridge.NovaSonic.Json;

// The output events of the conversation protocol, each received as {"event":{"<name>":{...}}}; only what the
// session uses is read.

internal sealed class NovaOutputEnvelope
{
    public NovaOutputEvent? Event { get; set; }
}

internal sealed class NovaOutputEvent
{
    public CompletionStartOutput? CompletionStart { get; set; }
    public ContentStartOutput? ContentStart { get; set; }
    public TextOutput? TextOutput { get; set; }
    public AudioOutput? AudioOutput { get; set; }
    public ToolUseOutput? ToolUse { get; set; }
    public ContentEndOutput? ContentEnd { get; set; }
    public CompletionEndOutput? CompletionEnd { get; set; }
    public UsageOutput? UsageEvent { get; set; }
}

internal sealed class CompletionStartOutput
{
    public string? CompletionId { get; set; }
}

internal sealed class ContentStartOutput
{
    public string? ContentId { get; set; }
    public string? Type { get; set; }
    public string? Role { get; set; }

    /// <summary>A JSON document as a string, e.g. <c>{"generationStage":"SPECULATIVE"}</c>.</summary>
    public string? AdditionalModelFields { get; set; }
}

internal sealed class TextOutput
{
    public string? ContentId { get; set; }
    public string? Role { get; set; }
    public string? Content { get; set; }
}

internal sealed class AudioOutput
{
    public string? ContentId { get; set; }

    /// <summary>Base64 PCM16LE, decoded by the serializer.</summary>
    public byte[]? Content { get; set; }
}

internal sealed class ToolUseOutput
{
    public string? ContentId { get; set; }
    public string? ToolName { get; set; }
    public string? ToolUseId { get; set; }
    public string? Content { get; set; }
}

internal sealed class ContentEndOutput
{
    public string? ContentId { get; set; }
    public string? Type { get; set; }
    public string? StopReason { get; set; }
}

internal sealed class CompletionEndOutput
{
    public string? StopReason { get; set; }
}

internal sealed class UsageOutput
{
    public long TotalInputTokens { get; set; }
    public long TotalOutputTokens { get; set; }
    public long TotalTokens { get; set; }
}

internal sealed class GenerationStageFields
{
    public string? GenerationStage { get; set; }
}
