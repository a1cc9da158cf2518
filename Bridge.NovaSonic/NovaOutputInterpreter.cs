using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Bridge.NovaSonic.Json;

namespace Bridge.NovaSonic;

/// <summary>
/// Turns one stream's output events into <see cref="NovaOutputEvent"/>s, remembering what each content is (its type,
/// role and generation stage) and whether model audio is in flight. One per stream (<c>generation</c> tags its audio);
/// used by one reader.
/// </summary>
internal sealed class NovaOutputInterpreter(int generation = 1)
{
    private readonly Dictionary<string, ContentInfo> _contents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NovaToolUse> _toolUses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _openAudio = new(StringComparer.Ordinal);
    private readonly HashSet<string> _awaitedToolResults = new(StringComparer.Ordinal);
    private bool _bargeInReported;
    private string? _lastAudioContentId;
    private int _openAudioCount;

    // Read from other threads (the renewal timer, the sender of tool results), hence the Volatile/Interlocked.

    /// <summary>True while the model has an audio content open (it is speaking).</summary>
    public bool AudioInFlight => Volatile.Read(ref _openAudioCount) > 0;

    /// <summary>Tools the model asked for whose results have not been sent.</summary>
    public int PendingToolUses
    {
        get
        {
            lock (_awaitedToolResults)
            {
                return _awaitedToolResults.Count;
            }
        }
    }

    /// <summary>Whether this stream's model asked for the tool call <paramref name="toolUseId"/> and awaits its result.</summary>
    public bool AwaitsToolResult(string toolUseId)
    {
        lock (_awaitedToolResults)
        {
            return _awaitedToolResults.Contains(toolUseId);
        }
    }

    public void ToolResultSent(string toolUseId)
    {
        lock (_awaitedToolResults)
        {
            _awaitedToolResults.Remove(toolUseId);
        }
    }

    public void Interpret(ReadOnlySpan<byte> eventJson, List<NovaOutputEvent> into)
    {
        if (TryReadAudioOutput(eventJson) is { } audioOutput)
        {
            OnAudio(audioOutput.ContentId, audioOutput.Pcm, into);
            Volatile.Write(ref _openAudioCount, _openAudio.Count);
            return;
        }

        var envelope = JsonSerializer.Deserialize(eventJson, NovaJsonContext.Default.NovaOutputEnvelope);
        if (envelope?.Event is not { } output)
        {
            return;
        }

        if (output.ContentStart is { ContentId: { } startedId } started)
        {
            _contents[startedId] = new ContentInfo(started.Type, started.Role, StageOf(started.AdditionalModelFields));
            if (started is { Type: "AUDIO", Role: "ASSISTANT" })
            {
                _openAudio.Add(startedId);
            }
        }
        else if (output.AudioOutput is { Content: { Length: > 0 } pcm } audio)
        {
            OnAudio(audio.ContentId, pcm, into);
        }
        else if (output.TextOutput is { Content: { } text } textOutput)
        {
            if (IsInterruptionSignal(text))
            {
                ReportBargeIn(into);
                return;
            }
            var content = textOutput.ContentId is { } id && _contents.TryGetValue(id, out var info) ? info : default;
            var role = (textOutput.Role ?? content.Role) == "USER" ? NovaRole.User : NovaRole.Assistant;
            // The caller's transcript is always final; the assistant's says which stage it is.
            var stage = role == NovaRole.User ? NovaGenerationStage.Final : content.Stage ?? NovaGenerationStage.Final;
            into.Add(new NovaTranscript(role, stage, text));
        }
        else if (output.ToolUse is { ToolName: { } toolName, ToolUseId: { } toolUseId } toolUse)
        {
            _toolUses[toolUse.ContentId ?? toolUseId] = new NovaToolUse(toolName, toolUseId, toolUse.Content ?? "{}");
            lock (_awaitedToolResults)
            {
                _awaitedToolResults.Add(toolUseId);
            }
        }
        else if (output.ContentEnd is { } ended)
        {
            OnContentEnd(ended, into);
        }
        else if (output.UsageEvent is { } usage)
        {
            into.Add(new NovaUsage(usage.TotalInputTokens, usage.TotalOutputTokens, usage.TotalTokens));
        }
        Volatile.Write(ref _openAudioCount, _openAudio.Count);
    }

    private void OnAudio(string? contentId, byte[] pcm, List<NovaOutputEvent> into)
    {
        if (contentId is not null)
        {
            _openAudio.Add(contentId);
        }
        _bargeInReported = false;
        into.Add(new NovaAudioOutput(pcm, generation));
    }

    /// <summary>
    /// <c>{"event":{"audioOutput":{…}}}</c> — 25 events a second per call — read with <see cref="Utf8JsonReader"/>: its
    /// <c>contentId</c> (the string kept while it repeats) and its base64 <c>content</c> decoded into one array, no
    /// object tree. Null for anything else (no audio, escapes, a member twice, more than the one event), which the
    /// serializer then reads as before, so both give the same result.
    /// </summary>
    private (string? ContentId, byte[] Pcm)? TryReadAudioOutput(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!Next(ref reader, JsonTokenType.StartObject) || !NextName(ref reader, "event"u8) || !Next(ref reader, JsonTokenType.StartObject) ||
                !NextName(ref reader, "audioOutput"u8) || !Next(ref reader, JsonTokenType.StartObject))
            {
                return null;
            }
            string? contentId = null;
            byte[]? pcm = null;
            var sawContentId = false;
            while (Next(ref reader, JsonTokenType.PropertyName))
            {
                if (reader.ValueIsEscaped)
                {
                    return null;
                }
                if (reader.ValueTextEquals("contentId"u8))
                {
                    if (sawContentId || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                    {
                        return null;
                    }
                    sawContentId = true;
                    if (_lastAudioContentId is null || !reader.ValueTextEquals(_lastAudioContentId))
                    {
                        _lastAudioContentId = reader.GetString();
                    }
                    contentId = _lastAudioContentId;
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    if (pcm is not null || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped ||
                        (pcm = Base64Value(reader.ValueSpan)) is null)
                    {
                        return null;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            return reader.TokenType == JsonTokenType.EndObject && pcm is not null &&
                   Next(ref reader, JsonTokenType.EndObject) && Next(ref reader, JsonTokenType.EndObject) && !reader.Read()
                ? (contentId, pcm)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Next(ref Utf8JsonReader reader, JsonTokenType token) => reader.Read() && reader.TokenType == token;

    private static bool NextName(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        Next(ref reader, JsonTokenType.PropertyName) && !reader.ValueIsEscaped && reader.ValueTextEquals(name);

    /// <summary>Decoded base64 of at least one byte, in an array of its exact length; null otherwise.</summary>
    private static byte[]? Base64Value(ReadOnlySpan<byte> base64)
    {
        if (base64.IsEmpty || base64.Length % 4 != 0)
        {
            return null;
        }
        var padding = base64[^1] != '=' ? 0 : base64[^2] == '=' ? 2 : 1;
        var pcm = new byte[base64.Length / 4 * 3 - padding];
        return pcm.Length > 0 && Base64.DecodeFromUtf8(base64, pcm, out _, out var written) == OperationStatus.Done && written == pcm.Length
            ? pcm
            : null;
    }

    private void OnContentEnd(ContentEndOutput ended, List<NovaOutputEvent> into)
    {
        var id = ended.ContentId ?? "";
        var type = ended.Type ?? (_contents.TryGetValue(id, out var info) ? info.Type : null);
        _contents.Remove(id);
        var wasAudio = _openAudio.Remove(id);

        if (ended.StopReason == "INTERRUPTED")
        {
            ReportBargeIn(into);
        }
        else if (type == "TOOL" && (_toolUses.Remove(id, out var toolUse) || TryTakeOnlyToolUse(out toolUse)))
        {
            // The tool runs when its content ends, not when its toolUse event arrives.
            into.Add(toolUse!);
        }
        else if (wasAudio && ended.StopReason == "END_TURN")
        {
            into.Add(new NovaTurnEnd());
        }
    }

    private bool TryTakeOnlyToolUse(out NovaToolUse? toolUse)
    {
        toolUse = null;
        if (_toolUses.Count != 1)
        {
            return false;
        }
        var key = _toolUses.Keys.First();
        return _toolUses.Remove(key, out toolUse);
    }

    private void ReportBargeIn(List<NovaOutputEvent> into)
    {
        _openAudio.Clear();
        Volatile.Write(ref _openAudioCount, 0);
        if (!_bargeInReported)
        {
            _bargeInReported = true;
            into.Add(new NovaBargeIn());
        }
    }

    /// <summary>The model's interruption marker, <c>{ "interrupted" : true }</c>, with any spacing.</summary>
    internal static bool IsInterruptionSignal(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length == 0 || trimmed[0] != '{' || !trimmed.Contains("interrupted", StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("interrupted", out var value) && value.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static NovaGenerationStage? StageOf(string? additionalModelFields)
    {
        if (string.IsNullOrEmpty(additionalModelFields))
        {
            return null;
        }
        try
        {
            var fields = JsonSerializer.Deserialize(additionalModelFields, NovaJsonContext.Default.GenerationStageFields);
            return fields?.GenerationStage switch
            {
                "SPECULATIVE" => NovaGenerationStage.Speculative,
                "FINAL" => NovaGenerationStage.Final,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private readonly record struct ContentInfo(string? Type, string? Role, NovaGenerationStage? Stage);
}
