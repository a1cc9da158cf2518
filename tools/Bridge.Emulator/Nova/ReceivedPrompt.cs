using System.Collections.Concurrent;
using System.Text;

namespace Bridge.Emulator.Nova;

/// <summary>
/// What one stream told the model before and while it spoke, kept for tests and for people checking what their
/// profile sends: the sessionStart and promptStart as received (JSON), the text of each TEXT content by role, how much
/// caller audio arrived, and each tool result with how much audio had arrived before it (so a test can tell, in
/// audio rather than in wall-clock time, that the caller was heard while a tool ran).
/// </summary>
public sealed class ReceivedPrompt
{
    private readonly ConcurrentQueue<(string Role, bool Interactive, string Text)> _texts = new();
    private readonly ConcurrentQueue<ReceivedToolResult> _toolResults = new();
    private readonly Dictionary<string, (string Role, bool Interactive, StringBuilder Text)> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string ToolUseId, StringBuilder Content)> _openTools = new(StringComparer.Ordinal);
    private long _audioBytes;

    public string? SessionStartJson { get; private set; }

    public string? PromptStartJson { get; private set; }

    /// <summary>Every finished TEXT content in order: its role (SYSTEM, SYSTEM_SPEECH, USER, ASSISTANT), whether interactive, its text.</summary>
    public IReadOnlyList<(string Role, bool Interactive, string Text)> Texts => [.. _texts];

    public string? SystemPrompt => Texts.FirstOrDefault(t => t.Role == "SYSTEM").Text;

    public string? SystemSpeech => Texts.FirstOrDefault(t => t.Role == "SYSTEM_SPEECH").Text;

    /// <summary>The caller audio content's sample rate (0 until it has started).</summary>
    public int AudioSampleRate { get; private set; }

    /// <summary>Caller audio received so far, in bytes of 16-bit PCM at <see cref="AudioSampleRate"/>.</summary>
    public long AudioBytesReceived => Interlocked.Read(ref _audioBytes);

    /// <summary>How long <paramref name="bytes"/> of the caller's audio lasts.</summary>
    public TimeSpan AudioDuration(long bytes) => AudioSampleRate == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(bytes / 2.0 / AudioSampleRate);

    /// <summary>Every tool result received, in the order they arrived.</summary>
    public IReadOnlyList<ReceivedToolResult> ToolResults => [.. _toolResults];

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
            case InputEventKind.AudioInput:
                Interlocked.Add(ref _audioBytes, e.Audio!.Length);
                break;
            case InputEventKind.ContentStart when e.ContentType == "AUDIO":
                AudioSampleRate = e.SampleRateHertz;
                break;
            case InputEventKind.ContentStart when e.ContentType == "TOOL":
                _openTools[e.ContentName!] = (e.ToolUseId ?? "", new StringBuilder());
                break;
            case InputEventKind.ToolResult when _openTools.TryGetValue(e.ContentName!, out var tool):
                tool.Content.Append(e.Text);
                break;
            case InputEventKind.ContentEnd when _openTools.Remove(e.ContentName!, out var result):
                _toolResults.Enqueue(new ReceivedToolResult(result.ToolUseId, result.Content.ToString(), AudioBytesReceived));
                break;
        }
    }
}

/// <summary>A tool result as the model received it, and how much caller audio (bytes of PCM) had arrived before it.</summary>
public sealed record ReceivedToolResult(string ToolUseId, string Content, long AudioBytesBefore);

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
