using System.Buffers;
using System.Text.Json;

namespace Bridge.Emulator.Nova;

/// <summary>
/// Writes Nova output events as JSON (<c>{"event":{"name":{...}}}</c>), each carrying the stream's sessionId,
/// promptName and completionId, and contentId where it belongs.
/// </summary>
public sealed class OutputEvents(string sessionId, string promptName, string completionId)
{
    public const string Speculative = "SPECULATIVE";
    public const string Final = "FINAL";

    private readonly Lock _audioGate = new();
    private readonly ArrayBufferWriter<byte> _audioBuffer = new(2048);
    private readonly Utf8JsonWriter _audioWriter = new(Stream.Null);

    public string SessionId => sessionId;

    public byte[] CompletionStart() => Write("completionStart", null, static _ => { });

    public byte[] CompletionEnd(string stopReason) =>
        Write("completionEnd", null, w => w.WriteString("stopReason", stopReason));

    public byte[] TextContentStart(string contentId, string role, string generationStage) => Write("contentStart", contentId, w =>
    {
        w.WriteString("type", "TEXT");
        w.WriteString("role", role);
        w.WriteStartObject("textOutputConfiguration");
        w.WriteString("mediaType", "text/plain");
        w.WriteEndObject();
        w.WriteString("additionalModelFields", $"{{\"generationStage\":\"{generationStage}\"}}");
    });

    public byte[] AudioContentStart(string contentId, int sampleRateHertz, string voiceId) => Write("contentStart", contentId, w =>
    {
        w.WriteString("type", "AUDIO");
        w.WriteString("role", "ASSISTANT");
        w.WriteStartObject("audioOutputConfiguration");
        w.WriteString("mediaType", "audio/lpcm");
        w.WriteNumber("sampleRateHertz", sampleRateHertz);
        w.WriteNumber("sampleSizeBits", 16);
        w.WriteNumber("channelCount", 1);
        w.WriteString("voiceId", voiceId);
        w.WriteString("encoding", "base64");
        w.WriteString("audioType", "SPEECH");
        w.WriteEndObject();
    });

    public byte[] ToolContentStart(string contentId) => Write("contentStart", contentId, w =>
    {
        w.WriteString("type", "TOOL");
        w.WriteString("role", "TOOL");
        w.WriteStartObject("toolUseOutputConfiguration");
        w.WriteString("mediaType", "application/json");
        w.WriteEndObject();
    });

    public byte[] TextOutput(string contentId, string role, string content) => Write("textOutput", contentId, w =>
    {
        w.WriteString("content", content);
        w.WriteString("role", role);
    });

    /// <summary>
    /// The most frequent event (25 a second per call in loopback): written without a lambda or an intermediate base64
    /// string, by one writer kept for it (the model's voice and the loopback may both write, hence the lock).
    /// </summary>
    public byte[] AudioOutput(string contentId, ReadOnlySpan<byte> pcm16)
    {
        lock (_audioGate)
        {
            _audioBuffer.ResetWrittenCount();
            _audioWriter.Reset(_audioBuffer);
            WriteHead(_audioWriter, "audioOutput", contentId);
            _audioWriter.WriteBase64String("content", pcm16);
            WriteTail(_audioWriter);
            _audioWriter.Flush();
            return _audioBuffer.WrittenSpan.ToArray();
        }
    }

    public byte[] ToolUse(string contentId, string toolName, string toolUseId, string input) => Write("toolUse", contentId, w =>
    {
        w.WriteString("toolName", toolName);
        w.WriteString("toolUseId", toolUseId);
        w.WriteString("content", input);
    });

    public byte[] ContentEnd(string contentId, string type, string stopReason) => Write("contentEnd", contentId, w =>
    {
        w.WriteString("stopReason", stopReason);
        w.WriteString("type", type);
    });

    public byte[] UsageEvent(TokenUsage delta, TokenUsage total) => Write("usageEvent", null, w =>
    {
        w.WriteStartObject("details");
        WriteUsage(w, "delta", delta);
        WriteUsage(w, "total", total);
        w.WriteEndObject();
        w.WriteNumber("totalInputTokens", total.InputSpeech + total.InputText);
        w.WriteNumber("totalOutputTokens", total.OutputSpeech + total.OutputText);
        w.WriteNumber("totalTokens", total.InputSpeech + total.InputText + total.OutputSpeech + total.OutputText);
    });

    private static void WriteUsage(Utf8JsonWriter w, string name, TokenUsage usage)
    {
        w.WriteStartObject(name);
        w.WriteStartObject("input");
        w.WriteNumber("speechTokens", usage.InputSpeech);
        w.WriteNumber("textTokens", usage.InputText);
        w.WriteEndObject();
        w.WriteStartObject("output");
        w.WriteNumber("speechTokens", usage.OutputSpeech);
        w.WriteNumber("textTokens", usage.OutputText);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private byte[] Write(string name, string? contentId, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteHead(w, name, contentId);
            body(w);
            WriteTail(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteHead(Utf8JsonWriter w, string name, string? contentId)
    {
        w.WriteStartObject();
        w.WriteStartObject("event");
        w.WriteStartObject(name);
        w.WriteString("sessionId", sessionId);
        w.WriteString("promptName", promptName);
        w.WriteString("completionId", completionId);
        if (contentId is not null)
        {
            w.WriteString("contentId", contentId);
        }
    }

    private static void WriteTail(Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

/// <summary>Token counts the emulator reports; they are estimates from durations and text lengths, not a model's.</summary>
public readonly record struct TokenUsage(long InputSpeech, long InputText, long OutputSpeech, long OutputText)
{
    public static TokenUsage operator +(TokenUsage a, TokenUsage b) =>
        new(a.InputSpeech + b.InputSpeech, a.InputText + b.InputText, a.OutputSpeech + b.OutputSpeech, a.OutputText + b.OutputText);
}
