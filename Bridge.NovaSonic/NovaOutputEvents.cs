using System.Runtime.InteropServices;

namespace Bridge.NovaSonic;

/// <summary>What the session reports, in the order the model produced it.</summary>
public abstract record NovaOutputEvent;

/// <summary>
/// Model speech: PCM16 little-endian mono at the session's output rate, from the stream <paramref name="Generation"/>
/// (see <see cref="NovaStreamRenewed"/>). A stream only hears the caller talk over audio it produced itself.
/// </summary>
public sealed record NovaAudioOutput(ReadOnlyMemory<byte> Pcm, int Generation) : NovaOutputEvent
{
    public ReadOnlySpan<short> Samples => MemoryMarshal.Cast<byte, short>(Pcm.Span);
}

public enum NovaGenerationStage
{
    /// <summary>What the assistant plans to say (arrives before its audio).</summary>
    Speculative,

    /// <summary>What was said: the caller's transcript, or the assistant's after speaking.</summary>
    Final,
}

/// <summary>A transcript: the caller's (always final) or the assistant's (speculative, then final).</summary>
public sealed record NovaTranscript(NovaRole Role, NovaGenerationStage Stage, string Text) : NovaOutputEvent;

/// <summary>
/// The caller interrupted: drop every queued model audio sample now. Reported once per interruption, whichever of
/// the two signals (a <c>{"interrupted":true}</c> text, a contentEnd INTERRUPTED) came first.
/// </summary>
public sealed record NovaBargeIn : NovaOutputEvent;

/// <summary>The model asks for a tool; answer with <see cref="NovaSonicSession.SendToolResult"/>.</summary>
public sealed record NovaToolUse(string ToolName, string ToolUseId, string InputJson) : NovaOutputEvent;

/// <summary>The assistant finished its turn (its audio content ended with END_TURN).</summary>
public sealed record NovaTurnEnd : NovaOutputEvent;

/// <summary>Token counts so far for the current stream.</summary>
public sealed record NovaUsage(long InputTokens, long OutputTokens, long TotalTokens) : NovaOutputEvent;

public enum NovaRenewalReason
{
    /// <summary>The stream reached <c>Conversation:RenewStreamAfter</c>.</summary>
    Scheduled,

    /// <summary>The stream failed with a retryable error.</summary>
    Recovered,
}

/// <summary>The conversation moved to a new stream (with its history); <see cref="Generation"/> counts streams from 1.</summary>
public sealed record NovaStreamRenewed(int Generation, NovaRenewalReason Reason, int BufferedSamples) : NovaOutputEvent;
