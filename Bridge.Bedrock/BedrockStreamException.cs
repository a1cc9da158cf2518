namespace Bridge.Bedrock;

/// <summary>
/// An error reported by Bedrock for a stream, either as the HTTP response or inside the event stream.
/// <see cref="IsRetryable"/> says whether opening a new stream (with the conversation so far) can help.
/// </summary>
public class BedrockStreamException(string errorType, string message, bool isRetryable, Exception? inner = null)
    : Exception($"{errorType}: {message}", inner)
{
    /// <summary>The service's name for the error, e.g. <c>validationException</c>, <c>throttlingException</c>.</summary>
    public string ErrorType { get; } = errorType;

    public string ServiceMessage { get; } = message;

    public bool IsRetryable { get; } = isRetryable;
}

/// <summary>The request is wrong (bad event order, bad JSON, unknown voice…): retrying the same thing fails again.</summary>
public sealed class BedrockValidationException(string message, string errorType = "validationException")
    : BedrockStreamException(errorType, message, isRetryable: false);

/// <summary>Throttling, service unavailable, internal errors, model errors: a new stream may succeed.</summary>
public sealed class BedrockTransientException(string errorType, string message, Exception? inner = null)
    : BedrockStreamException(errorType, message, isRetryable: true, inner);

/// <summary>The stream reached its time limit (about 8 minutes). A new stream with history continues the call.</summary>
public sealed class BedrockModelTimeoutException(string message) : BedrockStreamException("modelTimeoutException", message, isRetryable: true);

/// <summary>Credentials are missing, wrong or lack permission: fatal for every call until someone fixes them.</summary>
public sealed class BedrockAccessException(string errorType, string message) : BedrockStreamException(errorType, message, isRetryable: false);
