using System.Net.WebSockets;
using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// What a call logs, from whichever of its parts, under the call's own logger (category <see cref="BridgedCall"/>) and
/// its <c>CallSid</c> scope. The named events (<c>CallerSaid</c>, <c>AssistantSaid</c>, <c>AssistantInterrupted</c>,
/// <c>LocalBargeIn</c>, <c>CallSummary</c>) are read by the development call event feed.
/// </summary>
internal static partial class CallLog
{
    [LoggerMessage(Level = LogLevel.Information, EventName = "CallerSaid", Message = "Caller: {Text}")]
    public static partial void CallerSaid(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Information, EventName = "AssistantSaid", Message = "Assistant: {Text}")]
    public static partial void AssistantSaid(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Information, EventName = "AssistantInterrupted", Message = "Assistant (interrupted; the caller heard): {Text}")]
    public static partial void AssistantInterrupted(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caller pressed {Digit}")]
    public static partial void Dtmf(ILogger logger, char digit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model stream renewed (stream {Generation}, {Reason}); {BufferedSamples} caller samples carried over")]
    public static partial void Renewed(ILogger logger, int generation, NovaRenewalReason reason, int bufferedSamples);

    [LoggerMessage(Level = LogLevel.Information, EventName = "LocalBargeIn",
        Message = "The caller talked over audio from a replaced model stream (stream {Generation} listens now): interrupting it locally")]
    public static partial void LocalBargeIn(ILogger logger, int generation);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The model's audio outran playback by more than the queue and its read-ahead hold (Calls:MaxQueuedAudio); the excess is dropped")]
    public static partial void ModelAudioDropped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The model uses {Tool}")]
    public static partial void ToolUse(ILogger logger, string tool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model asked for an unknown tool {Tool}")]
    public static partial void UnknownTool(ILogger logger, string tool);

    [LoggerMessage(Level = LogLevel.Information, Message = "The caller interrupted: tool {Tool} is cancelled, and the model told so")]
    public static partial void ToolCancelledByBargeIn(ILogger logger, string tool);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} failed")]
    public static partial void ToolFailed(ILogger logger, Exception e, string tool);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ending the call through Twilio failed")]
    public static partial void EndCallFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining: asking the model to say goodbye")]
    public static partial void GoodbyeOnShutdown(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the call: {Reason} (WebSocket {Status})")]
    public static partial void Malformed(ILogger logger, string reason, WebSocketCloseStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "The model failed; ending the call so Twilio plays the apology")]
    public static partial void ModelFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model stream did not close in time ({Error})")]
    public static partial void ModelCloseSlow(ILogger logger, string error);
}
