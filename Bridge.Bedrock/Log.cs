using Microsoft.Extensions.Logging;

namespace Bridge.Bedrock;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Bedrock stream opened: {Path} over HTTP/{Version}")]
    public static partial void StreamOpened(ILogger logger, string path, Version version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bedrock stream failed with {ErrorType} (retryable: {Retryable}): {ServiceMessage}")]
    public static partial void StreamFailed(ILogger logger, string errorType, bool retryable, string serviceMessage);
}
