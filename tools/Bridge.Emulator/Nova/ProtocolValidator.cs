using System.Text;

namespace Bridge.Emulator.Nova;

/// <summary>
/// Enforces the order of Nova input events: sessionStart first, then one promptStart, the system prompt and
/// history before any audio, ONE audio content, input only inside an open content of its type, tool results
/// only for toolUseIds the model issued, every content closed before promptEnd, and nothing after sessionEnd.
/// Returns the reason an event breaks the order, or null.
/// </summary>
public sealed class ProtocolValidator
{
    private const int MaxHistoryTextBytes = 1024;
    private const int MaxHistoryBytes = 40 * 1024;

    private readonly Dictionary<string, OpenContent> _open = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedContentNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingToolUses = new(StringComparer.Ordinal);
    private bool _sessionStarted;
    private bool _sessionEnded;
    private string? _promptName;
    private bool _promptEnded;
    private bool _audioStarted;
    private bool _historyStarted;
    private int _historyBytes;

    public bool SessionEnded => _sessionEnded;

    /// <summary>The model asked for a tool: a TOOL content for this id is now allowed (once).</summary>
    public void ToolUseIssued(string toolUseId) => _pendingToolUses.Add(toolUseId);

    public bool TryGetOpenContent(string contentName, out OpenContent content) => _open.TryGetValue(contentName, out content!);

    public string? Accept(InputEvent e)
    {
        if (e.Problem is not null)
        {
            return e.Problem;
        }

        if (_sessionEnded)
        {
            return $"{e.Kind} arrived after sessionEnd";
        }

        if (e.Kind == InputEventKind.SessionStart)
        {
            if (_sessionStarted)
            {
                return "sessionStart arrived twice";
            }

            _sessionStarted = true;
            return null;
        }

        if (!_sessionStarted)
        {
            return $"the first event must be sessionStart, not {e.Kind}";
        }

        return e.Kind switch
        {
            InputEventKind.PromptStart => PromptStart(e),
            InputEventKind.ContentStart => ContentStart(e),
            InputEventKind.TextInput => Input(e, "TEXT"),
            InputEventKind.AudioInput => Input(e, "AUDIO"),
            InputEventKind.ToolResult => Input(e, "TOOL"),
            InputEventKind.ContentEnd => ContentEnd(e),
            InputEventKind.PromptEnd => PromptEnd(e),
            InputEventKind.SessionEnd => SessionEnd(),
            _ => $"unexpected {e.Kind}",
        };
    }

    private string? PromptStart(InputEvent e)
    {
        if (_promptName is not null)
        {
            return "promptStart arrived twice in one session";
        }

        if (string.IsNullOrEmpty(e.PromptName))
        {
            return "promptStart has no promptName";
        }

        if (e.SampleRateHertz is not (8000 or 16000 or 24000))
        {
            return $"audioOutputConfiguration.sampleRateHertz {e.SampleRateHertz} is not 8000, 16000 or 24000";
        }

        if (e.SampleSizeBits != 16 || e.ChannelCount != 1)
        {
            return "audioOutputConfiguration must be 16-bit mono";
        }

        _promptName = e.PromptName;
        return null;
    }

    private string? ContentStart(InputEvent e)
    {
        if (CheckPrompt(e) is { } promptProblem)
        {
            return promptProblem;
        }

        if (string.IsNullOrEmpty(e.ContentName))
        {
            return "contentStart has no contentName";
        }

        if (!_usedContentNames.Add(e.ContentName))
        {
            return $"contentName '{e.ContentName}' was used before";
        }

        var problem = e.ContentType switch
        {
            "TEXT" => TextContentStart(e),
            "AUDIO" => AudioContentStart(e),
            "TOOL" => ToolContentStart(e),
            _ => $"contentStart type '{e.ContentType}' is not TEXT, AUDIO or TOOL",
        };
        if (problem is null)
        {
            _open[e.ContentName] = new OpenContent(e.ContentName, e.ContentType!, e.Role ?? "", e.Interactive, e.ToolUseId, e.SampleRateHertz);
        }

        return problem;
    }

    private string? TextContentStart(InputEvent e)
    {
        if (e.Role is not ("SYSTEM" or "SYSTEM_SPEECH" or "USER" or "ASSISTANT"))
        {
            return $"TEXT content role '{e.Role}' is not SYSTEM, SYSTEM_SPEECH, USER or ASSISTANT";
        }

        if (e.Interactive)
        {
            return null;
        }

        if (_audioStarted)
        {
            return "the system prompt and history must come before the audio content";
        }

        // Nova 2's SYSTEM_SPEECH content is a system instruction too: before the history and the audio.
        if (e.Role is "SYSTEM" or "SYSTEM_SPEECH")
        {
            return _historyStarted ? $"{e.Role} text must come before the history" : null;
        }

        if (!_historyStarted && e.Role != "USER")
        {
            return "the first history message must have role USER";
        }

        _historyStarted = true;
        return null;
    }

    private string? AudioContentStart(InputEvent e)
    {
        if (_audioStarted)
        {
            return "only one audio content is allowed in a prompt";
        }

        if (e.Role != "USER" || !e.Interactive)
        {
            return "the audio content must be role USER and interactive";
        }

        if (e.SampleRateHertz is not (8000 or 16000))
        {
            return $"audioInputConfiguration.sampleRateHertz {e.SampleRateHertz} is not 8000 or 16000";
        }

        if (e.SampleSizeBits != 16 || e.ChannelCount != 1)
        {
            return "audioInputConfiguration must be 16-bit mono";
        }

        _audioStarted = true;
        return null;
    }

    private string? ToolContentStart(InputEvent e)
    {
        if (e.Role != "TOOL")
        {
            return $"TOOL content role '{e.Role}' is not TOOL";
        }

        if (string.IsNullOrEmpty(e.ToolUseId) || !_pendingToolUses.Remove(e.ToolUseId))
        {
            return $"toolUseId '{e.ToolUseId}' is not a tool use the model is waiting for";
        }

        return null;
    }

    private string? Input(InputEvent e, string contentType)
    {
        if (CheckPrompt(e) is { } promptProblem)
        {
            return promptProblem;
        }

        if (e.ContentName is null || !_open.TryGetValue(e.ContentName, out var content))
        {
            return $"{e.Kind} names content '{e.ContentName}', which is not open";
        }

        if (content.Type != contentType)
        {
            return $"{e.Kind} is not allowed in {content.Type} content '{content.Name}'";
        }

        if (e.Kind == InputEventKind.AudioInput && e.Audio!.Length % 2 != 0)
        {
            return "audioInput is not whole 16-bit samples";
        }

        if (e.Kind == InputEventKind.TextInput && content.Role is not ("SYSTEM" or "SYSTEM_SPEECH") && !content.Interactive)
        {
            var bytes = Encoding.UTF8.GetByteCount(e.Text!);
            _historyBytes += bytes;
            if (bytes > MaxHistoryTextBytes)
            {
                return $"a history textInput is {bytes} bytes, more than {MaxHistoryTextBytes}";
            }

            if (_historyBytes > MaxHistoryBytes)
            {
                return $"the history is more than {MaxHistoryBytes} bytes";
            }
        }

        return null;
    }

    private string? ContentEnd(InputEvent e)
    {
        if (CheckPrompt(e) is { } promptProblem)
        {
            return promptProblem;
        }

        return e.ContentName is not null && _open.Remove(e.ContentName)
            ? null
            : $"contentEnd names content '{e.ContentName}', which is not open";
    }

    private string? PromptEnd(InputEvent e)
    {
        if (CheckPrompt(e) is { } promptProblem)
        {
            return promptProblem;
        }

        if (_open.Count > 0)
        {
            return $"promptEnd arrived while content '{_open.Keys.First()}' is open";
        }

        _promptEnded = true;
        return null;
    }

    private string? SessionEnd()
    {
        if (_promptName is not null && !_promptEnded)
        {
            return "sessionEnd arrived before promptEnd";
        }

        _sessionEnded = true;
        return null;
    }

    private string? CheckPrompt(InputEvent e)
    {
        if (_promptName is null)
        {
            return $"{e.Kind} arrived before promptStart";
        }

        if (_promptEnded)
        {
            return $"{e.Kind} arrived after promptEnd";
        }

        return e.PromptName == _promptName ? null : $"promptName '{e.PromptName}' is not the prompt '{_promptName}'";
    }
}

/// <summary>A content the client has started and not yet ended.</summary>
public sealed record OpenContent(string Name, string Type, string Role, bool Interactive, string? ToolUseId, int SampleRateHertz);
