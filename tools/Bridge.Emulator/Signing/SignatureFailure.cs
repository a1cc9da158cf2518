namespace Bridge.Emulator.Signing;

/// <summary>Why a request was refused, in the shape AWS answers: an HTTP status, an x-amzn-ErrorType and a message.</summary>
public sealed record SignatureFailure(int StatusCode, string ErrorType, string Message)
{
    public static SignatureFailure Missing() =>
        new(403, "MissingAuthenticationTokenException", "Missing Authentication Token");

    public static SignatureFailure Incomplete(string message) => new(403, "IncompleteSignatureException", message);

    public static SignatureFailure UnknownKey() =>
        new(403, "UnrecognizedClientException", "The security token included in the request is invalid.");

    public static SignatureFailure Invalid(string message) => new(403, "InvalidSignatureException", message);

    public static SignatureFailure Mismatch() => Invalid(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key " +
        "and signing method. Consult the service documentation for details.");
}
