namespace Bridge.Emulator.Faults;

/// <summary>The :exception-type values of Bedrock Runtime's bidirectional stream and the messages the emulator sends with them.</summary>
public static class ExceptionTypes
{
    public const string Validation = "validationException";
    public const string Throttling = "throttlingException";
    public const string ModelTimeout = "modelTimeoutException";
    public const string ModelStreamError = "modelStreamErrorException";
    public const string InternalServer = "internalServerException";
    public const string ServiceUnavailable = "serviceUnavailableException";

    public const string ValidationMessage = "Invalid input request, please fix your input and try again.";
    public const string InstabilityMessage = "System instability detected. Please retry your request.";
    public const string ThrottlingMessage = "Too many requests, please wait before trying again.";
    public const string ModelTimeoutMessage = "Model has timed out in processing the request. Try your request again.";
    public const string InternalServerMessage = "InternalErrorCode=531::RST_STREAM closed stream";
    public const string ServiceUnavailableMessage = "Service is currently unavailable, please try again later.";

    public static IReadOnlyList<string> All { get; } =
        [Validation, Throttling, ModelTimeout, ModelStreamError, InternalServer, ServiceUnavailable];

    public static string DefaultMessage(string type) => type switch
    {
        Validation => ValidationMessage,
        Throttling => ThrottlingMessage,
        ModelTimeout => ModelTimeoutMessage,
        InternalServer => InternalServerMessage,
        ServiceUnavailable => ServiceUnavailableMessage,
        _ => InstabilityMessage,
    };
}
