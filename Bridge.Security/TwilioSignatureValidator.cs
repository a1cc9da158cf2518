using Microsoft.Extensions.Primitives;
using Twilio.Security;

namespace Bridge.Security;

/// <summary>
/// Checks X-Twilio-Signature with the Twilio library's <see cref="RequestValidator"/> (HMAC-SHA1 over the URL and
/// the sorted form, constant-time compare, both port variants tried). Never logs or returns the token.
/// </summary>
public sealed class TwilioSignatureValidator(string authToken)
{
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>The query parameter Twilio adds to a JSON request's URL: the body's SHA-256 in lower-case hex.</summary>
    public const string BodyHashParameter = "bodySHA256";

    private readonly RequestValidator _validator = new(authToken);

    /// <summary>A form POST: Twilio signs the URL followed by every name and value, sorted by name.</summary>
    public SignatureCheck ValidateForm(string url, IEnumerable<KeyValuePair<string, StringValues>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return SignatureCheck.Invalid("no X-Twilio-Signature header");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in form)
        {
            if (values.Count != 1)
            {
                // The library's dictionary form cannot express a repeated name, and Twilio's voice webhooks never repeat one.
                return SignatureCheck.Invalid($"form field '{name}' is repeated");
            }
            parameters[name] = values[0] ?? "";
        }

        return _validator.Validate(url, parameters, signature)
            ? SignatureCheck.Valid
            : SignatureCheck.Invalid("signature does not match the URL and form");
    }

    /// <summary>A JSON body: Twilio appends bodySHA256 to the URL and signs the URL alone; the body must hash to it.</summary>
    public SignatureCheck ValidateJson(string url, string body, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return SignatureCheck.Invalid("no X-Twilio-Signature header");
        }
        if (!url.Contains(BodyHashParameter + "=", StringComparison.Ordinal))
        {
            return SignatureCheck.Invalid("JSON body without a bodySHA256 query parameter");
        }

        return _validator.Validate(url, body, signature)
            ? SignatureCheck.Valid
            : SignatureCheck.Invalid("signature does not match the URL, or the body does not match bodySHA256");
    }

    /// <summary>A WebSocket upgrade: Twilio signs the ws(s):// URL it dialed, with no parameters.</summary>
    public SignatureCheck ValidateWebSocketUpgrade(string webSocketUrl, string? signature) =>
        ValidateForm(webSocketUrl, [], signature);
}
