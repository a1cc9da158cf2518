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
            if (audio.ContentId is { } id)
            {
                _openAudio.Add(id);
            }
            _bargeInReported = false;
            into.Add(new NovaAudioOutput(pcm, generation));
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
