using System.Net;

namespace Bridge.Bedrock;

/// <summary>Maps Bedrock's error types (in-stream <c>:exception-type</c> or the <c>x-amzn-errortype</c> header) to typed errors.</summary>
public static class BedrockErrorClassifier
{
    /// <summary>Messages Bedrock uses for failures that a new stream survives, whatever the exception type says.</summary>
    private static readonly string[] TransientMessages =
    [
        "System instability detected",
        "RST_STREAM",
        "Please retry your request",
    ];

    public static BedrockStreamException FromErrorType(string? errorType, string? message, HttpStatusCode? status = null)
    {
        var type = NormaliseType(errorType);
        message ??= "";
        if (TransientMessages.Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase)))
        {
            return new BedrockTransientException(type, message);
        }

        return type.ToLowerInvariant() switch
        {
            "validationexception" => new BedrockValidationException(message, type),
            "modeltimeoutexception" => new BedrockModelTimeoutException(message),
            "throttlingexception" or "servicequotaexceededexception" or "serviceunavailableexception" or "internalserverexception"
                or "modelstreamerrorexception" or "modelnotreadyexception" => new BedrockTransientException(type, message),
            "accessdeniedexception" or "unrecognizedclientexception" or "invalidsignatureexception" or "expiredtokenexception"
                or "incompletesignatureexception" or "missingauthenticationtokenexception"
                or "resourcenotfoundexception" => new BedrockAccessException(type, message),
            _ => status switch
            {
                HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
                    or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => new BedrockTransientException(type, message),
                HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.NotFound => new BedrockAccessException(type, message),
                HttpStatusCode.BadRequest => new BedrockValidationException(message, type),
                null => new BedrockTransientException(type, message),
                _ => new BedrockStreamException(type, message, isRetryable: false),
            },
        };
    }

    /// <summary><c>x-amzn-errortype</c> may read <c>ValidationException:http://internal.amazon.com/…</c>; keep the name.</summary>
    private static string NormaliseType(string? errorType)
    {
        if (string.IsNullOrWhiteSpace(errorType))
        {
            return "unknownError";
        }
        var colon = errorType.IndexOf(':', StringComparison.Ordinal);
        var name = colon > 0 ? errorType[..colon] : errorType;
        var hash = name.LastIndexOf('#');
        return hash >= 0 ? name[(hash + 1)..] : name;
    }
}
