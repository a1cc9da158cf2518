namespace Bridge.NovaSonic;

/// <summary>
/// One model stream carrying one Nova prompt, in Nova's terms (the session's view of a stream): audio, text and tool
/// results in, interpreted output events out. <see cref="NovaStreamConnection"/> is the real one, over Bedrock; tests
/// give the session scripted streams, so that the conversation's logic (renewal, handoff, history) runs without a
/// network, on fake time.
/// </summary>
internal interface INovaStream : IAsyncDisposable
{
    /// <summary>Which stream of the conversation this is, counting from 1 (it tags the audio it produces).</summary>
    int Generation { get; }

    /// <summary>The model has an audio content open: it is speaking.</summary>
    bool IsModelSpeaking { get; }

    /// <summary>Tools the model asked for whose results have not been sent.</summary>
    int PendingToolUses { get; }

    /// <summary>Whether this stream's model asked for the tool call <paramref name="toolUseId"/> and awaits its result.</summary>
    bool AwaitsToolResult(string toolUseId);

    /// <summary>Caller audio, PCM16 mono at the input rate given at the open. Never blocks.</summary>
    void SendAudio(ReadOnlySpan<short> samples);

    /// <summary>Interactive user text mid-conversation: a greeting instruction, DTMF digits, a "one moment".</summary>
    void SendInteractiveText(string text);

    void SendToolResult(string toolUseId, string resultJson);

    /// <summary>
    /// Waits until the model has said more. Returns false once the stream has ended; throws
    /// <see cref="Bedrock.BedrockStreamException"/> when it failed, <see cref="OperationCanceledException"/> when it was
    /// abandoned. (The channel idiom: nothing is allocated per event.)
    /// </summary>
    ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads the model's next event, if one is waiting, and adds what it means to <paramref name="into"/> (often
    /// nothing, sometimes several). Returns false when none was waiting.
    /// </summary>
    bool TryRead(List<NovaOutputEvent> into);

    /// <summary>The orderly close (the prompt and session end); waits up to <paramref name="timeout"/> for the model's last events to be read.</summary>
    Task CloseAsync(TimeSpan timeout, TimeProvider time);
}
