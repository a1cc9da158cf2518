using System.Text.Json;
using Bridge.Bedrock;
using Bridge.Buffers;
using Microsoft.Extensions.Logging;

namespace Bridge.NovaSonic;

/// <summary>
/// One Bedrock stream carrying one Nova prompt: the start sequence, the one audio content that stays open for
/// the stream's life, interactive text, tool results, and the orderly close; the model's events read through a
/// <see cref="NovaOutputInterpreter"/>.
/// </summary>
internal sealed class NovaStreamConnection : INovaStream
{
    private readonly BedrockEventStream _stream;
    private readonly NovaInputEvents _events;
    private readonly AudioInputWriter _audio;
    private readonly string _audioContentName;
    private readonly NovaOutputInterpreter _interpreter;
    private readonly ILogger _logger;

    private NovaStreamConnection(BedrockEventStream stream, int generation, ILogger logger)
    {
        _stream = stream;
        _logger = logger;
        Generation = generation;
        _interpreter = new NovaOutputInterpreter(generation);
        _events = new NovaInputEvents(NewName("prompt"));
        _audioContentName = NewName("audio");
        _audio = new AudioInputWriter(_events.PromptName, _audioContentName);
    }

    public int Generation { get; }

    public bool IsModelSpeaking => _interpreter.AudioInFlight;

    public int PendingToolUses => _interpreter.PendingToolUses;

    public bool AwaitsToolResult(string toolUseId) => _interpreter.AwaitsToolResult(toolUseId);

    /// <summary>
    /// Opens a stream and sends the start sequence: sessionStart, promptStart, the system prompt, the history,
    /// then the audio content. Returns once the service has accepted the stream.
    /// </summary>
    public static async Task<NovaStreamConnection> OpenAsync(
        BedrockEventStreamClient client,
        NovaStreamSettings settings,
        IReadOnlyList<NovaTurn> history,
        int generation,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var stream = await client.OpenAsync(settings.ModelId, cancellationToken).ConfigureAwait(false);
        var connection = new NovaStreamConnection(stream, generation, logger);
        try
        {
            connection.SendStartSequence(settings, history);
            await stream.ResponseStarted.WaitAsync(settings.OpenTimeout, time, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (TimeoutException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new BedrockTransientException("openTimeout", $"No response within {settings.OpenTimeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void SendStartSequence(NovaStreamSettings settings, IReadOnlyList<NovaTurn> history)
    {
        Send(NovaInputEvents.SessionStart(settings.Conversation, settings.SupportsTurnDetection));
        Send(_events.PromptStart(settings.Voice, settings.Setup.OutputSampleRate, settings.Setup.Tools));
        SendText("SYSTEM", settings.SystemPrompt, interactive: false);
        if (settings.Setup.SystemSpeech is { } systemSpeech && settings.SupportsTurnDetection)
        {
            SendText("SYSTEM_SPEECH", systemSpeech, interactive: false);
        }
        foreach (var turn in history)
        {
            SendText(turn.Role == NovaRole.User ? "USER" : "ASSISTANT", turn.Text, interactive: false);
        }
        Send(_events.AudioContentStart(_audioContentName, settings.Setup.InputSampleRate));
    }

    public void SendAudio(ReadOnlySpan<short> samples)
    {
        var buffer = RentedBuffers.Rent<byte>(_audio.MaxLength(samples.Length));
        try
        {
            var length = _audio.Write(samples, buffer);
            _stream.Send(buffer.AsSpan(0, length));
        }
        finally
        {
            RentedBuffers.Return(buffer);
        }
    }

    /// <summary>Interactive user text mid-conversation: a greeting instruction, DTMF digits, a "one moment".</summary>
    public void SendInteractiveText(string text) => SendText("USER", text, interactive: true);

    public void SendToolResult(string toolUseId, string resultJson)
    {
        var contentName = NewName("tool");
        Send(_events.ToolContentStart(contentName, toolUseId));
        Send(_events.ToolResult(contentName, resultJson));
        Send(_events.ContentEnd(contentName));
        _interpreter.ToolResultSent(toolUseId);
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _stream.Chunks.WaitToReadAsync(cancellationToken);

    public bool TryRead(List<NovaOutputEvent> into)
    {
        if (!_stream.Chunks.TryRead(out var chunk))
        {
            return false;
        }
        try
        {
            _interpreter.Interpret(chunk.Payload.Span, into);
        }
        catch (JsonException exception)
        {
            Log.UnreadableEvent(_logger, exception);
        }
        finally
        {
            // The interpreter keeps nothing of the event's bytes.
            chunk.Release();
        }
        return true;
    }

    private void SendText(string role, string text, bool interactive)
    {
        var contentName = NewName("text");
        Send(_events.TextContentStart(contentName, role, interactive));
        foreach (var piece in NovaConversationHistory.Split(text))
        {
            Send(_events.TextInput(contentName, piece));
        }
        Send(_events.ContentEnd(contentName));
    }

    /// <summary>The orderly close: audio contentEnd, promptEnd, sessionEnd, the end of input; then waits for the response to end.</summary>
    public async Task CloseAsync(TimeSpan timeout, TimeProvider time)
    {
        Send(_events.ContentEnd(_audioContentName));
        Send(_events.PromptEnd());
        Send(NovaInputEvents.SessionEnd());
        _stream.CompleteInput();
        try
        {
            await _stream.Completion.WaitAsync(timeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The service kept the response open; abandoning it is all that is left.
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private void Send(byte[] eventJson) => _stream.Send(eventJson);

    private static string NewName(string kind) => $"{kind}-{Guid.NewGuid():N}";

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}

/// <summary>Everything a new stream's start sequence needs.</summary>
internal sealed record NovaStreamSettings(
    string ModelId,
    NovaSonicOptions Conversation,
    NovaSessionSetup Setup,
    TimeSpan OpenTimeout)
{
    public string Voice => Setup.Voice ?? Conversation.Voice;

    public string SystemPrompt => Setup.SystemPrompt ?? Conversation.SystemPrompt;

    /// <summary>Nova 2 takes turn-detection settings in sessionStart; the first Nova Sonic rejects them.</summary>
    public bool SupportsTurnDetection => ModelId.Contains("nova-2", StringComparison.Ordinal);
}
