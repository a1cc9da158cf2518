using System.Text.Json;
using Bridge.NovaSonic.Json;

namespace Bridge.NovaSonic;

/// <summary>The UTF-8 JSON of each input event of one prompt (everything but audio, see <see cref="AudioInputWriter"/>).</summary>
internal sealed class NovaInputEvents(string promptName)
{
    private static readonly MediaTypeConfiguration TextPlain = new("text/plain");

    public string PromptName => promptName;

    public static byte[] SessionStart(NovaSonicOptions options, bool withTurnDetection) => Serialize(new()
    {
        SessionStart = new SessionStartEvent(
            new InferenceConfiguration(options.MaxTokens, options.TopP, options.Temperature),
            withTurnDetection ? new TurnDetectionConfiguration(options.EndpointingSensitivity) : null),
    });

    public byte[] PromptStart(string voice, int outputSampleRate, IReadOnlyList<NovaTool> tools) => Serialize(new()
    {
        PromptStart = new PromptStartEvent(
            promptName,
            TextPlain,
            new AudioOutputConfiguration("audio/lpcm", outputSampleRate, 16, 1, voice, "base64", "SPEECH"),
            tools.Count > 0 ? new MediaTypeConfiguration("application/json") : null,
            tools.Count > 0
                ? new ToolConfiguration([.. tools.Select(t => new ToolEntry(new ToolSpec(t.Name, t.Description, new ToolInputSchema(t.InputSchemaJson))))])
                : null),
    });

    public byte[] TextContentStart(string contentName, string role, bool interactive) => Serialize(new()
    {
        ContentStart = new ContentStartEvent(promptName, contentName, "TEXT", interactive, role, TextInputConfiguration: TextPlain),
    });

    public byte[] TextInput(string contentName, string text) => Serialize(new()
    {
        TextInput = new TextInputEvent(promptName, contentName, text),
    });

    public byte[] AudioContentStart(string contentName, int inputSampleRate) => Serialize(new()
    {
        ContentStart = new ContentStartEvent(promptName, contentName, "AUDIO", true, "USER",
            AudioInputConfiguration: new AudioInputConfiguration("audio/lpcm", inputSampleRate, 16, 1, "SPEECH", "base64")),
    });

    public byte[] ToolContentStart(string contentName, string toolUseId) => Serialize(new()
    {
        ContentStart = new ContentStartEvent(promptName, contentName, "TOOL", false, "TOOL",
            ToolResultInputConfiguration: new ToolResultInputConfiguration(toolUseId, "TEXT", TextPlain)),
    });

    public byte[] ToolResult(string contentName, string resultJson) => Serialize(new()
    {
        ToolResult = new TextInputEvent(promptName, contentName, resultJson),
    });

    public byte[] ContentEnd(string contentName) => Serialize(new() { ContentEnd = new ContentEndEvent(promptName, contentName) });

    public byte[] PromptEnd() => Serialize(new() { PromptEnd = new PromptEndEvent(promptName) });

    public static byte[] SessionEnd() => Serialize(new() { SessionEnd = new SessionEndEvent() });

    private static byte[] Serialize(NovaInputEvent inputEvent) =>
        JsonSerializer.SerializeToUtf8Bytes(new NovaInputEnvelope(inputEvent), NovaJsonContext.Default.NovaInputEnvelope);
}
