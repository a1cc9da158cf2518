using Microsoft.Extensions.Logging;

namespace Bridge.Emulator.Hosting;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Stream {StreamNumber} opened for {ModelId} (faults: {Faults})")]
    public static partial void StreamOpened(ILogger logger, long streamNumber, string modelId, string faults);

    [LoggerMessage(2, LogLevel.Information, "Stream {StreamNumber} ended: {FramesIn} frames in, {FramesOut} frames out")]
    public static partial void StreamEnded(ILogger logger, long streamNumber, long framesIn, long framesOut);

    [LoggerMessage(3, LogLevel.Warning, "Request refused with {StatusCode} {ErrorType}: {Message}")]
    public static partial void RequestRefused(ILogger logger, int statusCode, string errorType, string message);

    [LoggerMessage(4, LogLevel.Warning, "Stream {StreamNumber} ended with {ExceptionType}: {Reason}")]
    public static partial void StreamFailed(ILogger logger, long streamNumber, string exceptionType, string reason);

    [LoggerMessage(5, LogLevel.Information, "Stream {StreamNumber}: injected fault {Fault}")]
    public static partial void FaultInjected(ILogger logger, long streamNumber, string fault);
}
