using System.Threading.Channels;
using Bridge.Audio;

namespace Bridge.NovaSonic;

/// <summary>
/// What a call needs of the conversation with the model: the seam between the call and the Nova session, in the
/// session's own terms (PCM, text, events; no telephony). The shape of LiveKit's <c>RealtimeSession</c>: audio, text
/// and tool results in; the model's events out; what the listener actually heard back in; the state of the stream
/// underneath. <see cref="NovaSonicSession"/> is the real one; a call's behaviour can be tested with a fake on fake
/// time.
/// </summary>
public interface INovaConversation : IAsyncDisposable
{
    /// <summary>
    /// Everything the model says, in order: its speech, transcripts, barge-ins, tool calls, turn ends, usage, stream
    /// renewals. Bounded: while the reader falls behind, the model is read no faster. Completes after
    /// <see cref="CloseAsync"/>; faults with the error when the conversation cannot go on.
    /// </summary>
    ChannelReader<NovaOutputEvent> Events { get; }

    /// <summary>
    /// The caller's audio, PCM16 mono at the conversation's input rate. Never blocks; held and replayed while the
    /// stream is switched. Returns what the voice detector heard in it (speech, an utterance's onset), in audio time.
    /// </summary>
    VoiceActivity SendAudio(ReadOnlySpan<short> samples);

    /// <summary>Interactive text from the caller's side: a greeting instruction, DTMF digits, a "one moment".</summary>
    void SendText(string text);

    /// <summary>Answers a <see cref="NovaToolUse"/> with the tool's result (a JSON document).</summary>
    void SendToolResult(string toolUseId, string resultJson);

    /// <summary>
    /// The listener stopped hearing the assistant (a barge-in, the model's or the call's own) after hearing
    /// <paramref name="heard"/> of the words <paramref name="said"/> (a transcript the model sent): the conversation
    /// keeps only what was heard.
    /// </summary>
    void AssistantInterrupted(string said, string heard);

    /// <summary>Whether the listener is still hearing model audio: a due stream renewal waits until it is not.</summary>
    void ReportOutputPlaying(bool playing);

    /// <summary>Which stream carries the conversation, counting from 1 (model audio carries its stream's generation).</summary>
    int Generation { get; }

    /// <summary>True while the next stream is being opened: the stream that produced the audio playing no longer hears the caller.</summary>
    bool IsHandingOff { get; }

    /// <summary>The model is in the middle of speaking (its current stream has an audio content open).</summary>
    bool IsModelSpeaking { get; }

    /// <summary>When the caller was last heard speaking, a <see cref="TimeProvider"/> timestamp (0 if never): answers are timed from it.</summary>
    long LastCallerSpeechAt { get; }

    /// <summary>Ends the conversation in order and waits for the model's last events (keep reading <see cref="Events"/> meanwhile).</summary>
    Task CloseAsync();
}
