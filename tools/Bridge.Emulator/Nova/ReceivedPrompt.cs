using System.Collections.Concurrent;
using System.Text;

namespace Bridge.Emulator.Nova;

/// <summary>
/// What one stream told the model before and while it spoke, kept for tests and for people checking what their
/// profile sends: the sessionStart and promptStart as received (JSON), and the text of each TEXT content by role.
/// </summary>
public sealed class ReceivedPrompt
{
    private readonly ConcurrentQueue<(string Role, bool Interactive, string Text)> _texts = new();
    private readonly Dictionary<string, (string Role, bool Interactive, StringBuilder Text)> _open = new(StringComparer.Ordinal);

    public string? SessionStartJson { get; private set; }

    public string? PromptStartJson { get; private set; }

    /// <summary>Every finished TEXT content in order: its role (SYSTEM, SYSTEM_SPEECH, USER, ASSISTANT), whether interactive, its text.</summary>
    public IReadOnlyList<(string Role, bool Interactive, string Text)> Texts => [.. _texts];

    public string? SystemPrompt => Texts.FirstOrDefault(t => t.Role == "SYSTEM").Text;

    public string? SystemSpeech => Texts.FirstOrDefault(t => t.Role == "SYSTEM_SPEECH").Text;

    internal void Observe(InputEvent e)
    {
        switch (e.Kind)
        {
            case InputEventKind.SessionStart:
                SessionStartJson = e.Json;
                break;
            case InputEventKind.PromptStart:
                PromptStartJson = e.Json;
                break;
            case InputEventKind.ContentStart when e.ContentType == "TEXT":
                _open[e.ContentName!] = (e.Role ?? "", e.Interactive, new StringBuilder());
                break;
            case InputEventKind.TextInput when _open.TryGetValue(e.ContentName!, out var content):
                content.Text.Append(e.Text);
                break;
            case InputEventKind.ContentEnd when _open.Remove(e.ContentName!, out var ended):
                _texts.Enqueue((ended.Role, ended.Interactive, ended.Text.ToString()));
                break;
        }
    }
}

/// <summary>The prompts of the streams opened so far, in order (at most the last 256).</summary>
public sealed class ReceivedPrompts
{
    private const int Kept = 256;
    private readonly ConcurrentQueue<ReceivedPrompt> _prompts = new();

    public IReadOnlyList<ReceivedPrompt> All => [.. _prompts];

    public ReceivedPrompt? Last => _prompts.LastOrDefault();

    internal ReceivedPrompt StreamOpened()
    {
        var prompt = new ReceivedPrompt();
        _prompts.Enqueue(prompt);
        while (_prompts.Count > Kept && _prompts.TryDequeue(out _))
        {
        }
        return prompt;
    }
}
