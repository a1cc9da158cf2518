using System.Security.Cryptography;
using System.Text;

namespace Bridge.TwilioStandIn.Twilio;

/// <summary>
/// Signs requests the way Twilio does (X-Twilio-Signature): base64 of HMAC-SHA1, keyed with the auth token, over
/// the full URL followed by every parameter name and value, sorted by name (ordinal), a repeated name
/// contributing each of its values in sorted order.
/// </summary>
public static class TwilioRequestSigner
{
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>Twilio sends the WebSocket upgrade's signature in lower case.</summary>
    public const string WebSocketHeaderName = "x-twilio-signature";

    public static string SignForm(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var signed = new StringBuilder(url);
        foreach (var (name, value) in form
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            signed.Append(name).Append(value);
        }
        return Sign(authToken, signed.ToString());
    }

    /// <summary>The upgrade GET of a media stream: the ws(s):// URL Twilio dialed, with no parameters.</summary>
    public static string SignWebSocketUpgrade(string authToken, string webSocketUrl) => Sign(authToken, webSocketUrl);

    /// <summary>
    /// A JSON body: Twilio appends <c>bodySHA256</c> (lower-case hex SHA-256 of the raw body) to the URL and signs
    /// that URL alone. Returns the URL to request and its signature.
    /// </summary>
    public static (string Url, string Signature) SignJson(string authToken, string url, string body)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var signedUrl = url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "bodySHA256=" + hash;
        return (signedUrl, Sign(authToken, signedUrl));
    }

    private static string Sign(string authToken, string data) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data)));
}
