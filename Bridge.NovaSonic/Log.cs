using Microsoft.Extensions.Logging;

namespace Bridge.NovaSonic;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Nova stream {Generation} opened")]
    public static partial void StreamOpened(ILogger logger, int generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nova stream renewal ({Reason}) starting after stream {Generation}")]
    public static partial void RenewalStarting(ILogger logger, NovaRenewalReason reason, int generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nova stream {Generation} took over ({Reason}); {BufferedSamples} buffered samples replayed, {DroppedSamples} dropped")]
    public static partial void RenewalDone(ILogger logger, int generation, NovaRenewalReason reason, int bufferedSamples, int droppedSamples);

    [LoggerMessage(Level = LogLevel.Error, Message = "Nova session failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The result of tool call {ToolUseId} came after its stream was replaced; stream {Generation} gets it as text")]
    public static partial void ToolResultAsText(ILogger logger, string toolUseId, int generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nova output event could not be read and was skipped")]
    public static partial void UnreadableEvent(ILogger logger, Exception exception);
}
