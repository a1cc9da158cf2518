using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Bridge.Audio;
using Bridge.Emulator.Hosting;
using Bridge.Emulator.Nova;

namespace Bridge.Emulator.Agent;

/// <summary>
/// What the emulated Nova Sonic does with input events that passed the <see cref="ProtocolValidator"/>: echo the
/// caller's utterances (or loop audio straight back), answer interactive text with speech or a tool call, react
/// to tool results, and stop when the prompt ends. It is an honest stand-in: it understands no words.
/// </summary>
internal sealed class EmulatedModel(OutputChannel output, EmulatorOptions options, TimeProvider time, ProtocolValidator validator) : IAsyncDisposable
{
    private const double SpeechTokensPerSecond = 25;
    private readonly Dictionary<string, ContentState> _contents = new(StringComparer.Ordinal);
    private readonly string _sessionId = Guid.NewGuid().ToString();
    private OutputEvents? _events;
    private ModelVoice? _voice;
    private IReadOnlyList<string> _declaredTools = [];
    private IReadOnlyDictionary<string, string> _toolSchemas = new Dictionary<string, string>();
    private UtteranceDetector? _detector;
    private int _inputRate;
    private string? _loopbackContentId;
    private Resampler? _loopbackResampler;

    public async ValueTask OnEventAsync(InputEvent e)
    {
        switch (e.Kind)
        {
            case InputEventKind.PromptStart:
                _events = new OutputEvents(_sessionId, e.PromptName!, Guid.NewGuid().ToString());
                _voice = new ModelVoice(output, _events, options, time, e.SampleRateHertz, "matthew");
                _declaredTools = e.DeclaredTools;
                _toolSchemas = e.DeclaredToolSchemas;
                break;
            case InputEventKind.ContentStart:
                _contents[e.ContentName!] = new ContentState(e.ContentType!, e.Interactive, e.ToolUseId);
                if (e.ContentType == "AUDIO")
                {
                    _inputRate = e.SampleRateHertz;
                    _detector = new UtteranceDetector(_inputRate, options);
                }

                break;
            case InputEventKind.TextInput or InputEventKind.ToolResult:
                _contents[e.ContentName!].Text.Append(e.Text);
                break;
            case InputEventKind.AudioInput:
                OnAudio(MemoryMarshal.Cast<byte, short>(e.Audio));
                break;
            case InputEventKind.ContentEnd:
                OnContentEnd(e.ContentName!);
                break;
            case InputEventKind.PromptEnd:
                if (_voice is not null)
                {
                    await _voice.EndAsync();
                }

                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_voice is not null)
        {
            await _voice.DisposeAsync();
        }
    }

    private void OnAudio(ReadOnlySpan<short> samples)
    {
        var voice = _voice!;
        if (options.Mode == EmulatorMode.Loopback)
        {
            voice.EnsureCompletionStarted();
            if (_loopbackContentId is null)
            {
                _loopbackContentId = Guid.NewGuid().ToString();
                output.Event(_events!.AudioContentStart(_loopbackContentId, voice.OutputRate, "matthew"));
            }

            _loopbackResampler ??= Resampler.Create(_inputRate, voice.OutputRate);
            if (_loopbackResampler.IsPassThrough)
            {
                // Same rate both ways (the load test): the caller's samples go back as they are, with no copy.
                output.Event(_events!.AudioOutput(_loopbackContentId, MemoryMarshal.AsBytes(samples)));
                return;
            }
            var converted = new short[_loopbackResampler.GetOutputLength(samples.Length)];
            var written = _loopbackResampler.Process(samples, converted);
            output.Event(_events!.AudioOutput(_loopbackContentId, MemoryMarshal.AsBytes(converted.AsSpan(0, written))));
            return;
        }

        _detector!.Process(samples, OnUtterance, OnSpeechRun);
    }

    private void OnSpeechRun(int speechRunMs)
    {
        if (speechRunMs >= options.BargeInSpeech.TotalMilliseconds && _voice!.IsSpeaking)
        {
            _voice.Interrupt();
        }
    }

    private void OnUtterance(short[] utterance)
    {
        var seconds = (double)utterance.Length / _inputRate;
        var spoken = seconds.ToString("0.0", CultureInfo.InvariantCulture);
        var echo = Resampler.ConvertWhole(utterance, _inputRate, _voice!.OutputRate);
        _voice.Say(new Turn(
            UserTranscript: $"[caller spoke for {spoken} s]",
            AssistantText: $"[echoing {spoken} s of caller audio]",
            Audio: echo,
            Tool: null,
            Usage: new TokenUsage((long)(seconds * SpeechTokensPerSecond), 0, (long)(seconds * SpeechTokensPerSecond), 10)));
    }

    private void OnContentEnd(string contentName)
    {
        if (!_contents.Remove(contentName, out var content))
        {
            return;
        }

        if (content.Type == "AUDIO" && _loopbackContentId is not null)
        {
            output.Event(_events!.ContentEnd(_loopbackContentId, "AUDIO", "END_TURN"));
            _loopbackContentId = null;
        }
        else if (content.Type == "TEXT" && content.Interactive && options.Mode == EmulatorMode.Echo)
        {
            OnInteractiveText(content.Text.ToString());
        }
        else if (content.Type == "TOOL" && options.Mode == EmulatorMode.Echo)
        {
            Speak($"[tool result received: {Shorten(content.Text.ToString())}]", inputTextLength: content.Text.Length);
        }
    }

    private void OnInteractiveText(string text)
    {
        var trigger = options.ToolTriggers.FirstOrDefault(t =>
            text.Contains(t.Contains, StringComparison.OrdinalIgnoreCase) && _declaredTools.Contains(t.ToolName));
        if (trigger is null)
        {
            Speak($"[speaking in reply to: {Shorten(text)}]", inputTextLength: text.Length);
            return;
        }

        var toolUseId = Guid.NewGuid().ToString();
        validator.ToolUseIssued(toolUseId);
        var input = trigger.Input.Trim() == ExampleInput.FromSchema ? ExampleInput.For(_toolSchemas.GetValueOrDefault(trigger.ToolName)) : trigger.Input;
        _voice!.Say(new Turn(null, null, [], new ToolCall(trigger.ToolName, toolUseId, input),
            new TokenUsage(0, text.Length / 4, 0, input.Length / 4)));
    }

    private void Speak(string assistantText, int inputTextLength)
    {
        var audio = Tone.Create(_voice!.OutputRate, options.SpokenTextDuration);
        var seconds = options.SpokenTextDuration.TotalSeconds;
        _voice.Say(new Turn(null, assistantText, audio, null,
            new TokenUsage(0, inputTextLength / 4, (long)(seconds * SpeechTokensPerSecond), assistantText.Length / 4)));
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private sealed record ContentState(string Type, bool Interactive, string? ToolUseId)
    {
        public StringBuilder Text { get; } = new();
    }
}
