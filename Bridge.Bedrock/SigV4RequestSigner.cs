using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Bridge.Bedrock;

/// <summary>
/// Signs the one HTTP request that opens a bidirectional stream (SigV4, header-based). The body is not hashed:
/// its events are signed one by one, which the payload hash <see cref="StreamingEventsPayload"/> announces.
/// </summary>
public static class SigV4RequestSigner
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string StreamingEventsPayload = "STREAMING-AWS4-HMAC-SHA256-EVENTS";
    public const string DateTimeFormat = "yyyyMMdd'T'HHmmss'Z'";
    public const string DateFormat = "yyyyMMdd";

    /// <summary>
    /// Computes the signature of a request whose headers (every one of which is signed) are given by name and value.
    /// </summary>
    public static SigV4Signature Sign(
        string method,
        string path,
        IEnumerable<KeyValuePair<string, string>> signedHeaders,
        string payloadHash,
        DateTimeOffset signedAt,
        string region,
        string service,
        string accessKey,
        string secretKey)
    {
        var headers = signedHeaders
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: CanonicalValue(h.Value)))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaderList = string.Join(';', headers.Select(h => h.Name));

        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(CanonicalPath(path)).Append('\n')
            .Append('\n'); // no query string
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }
        canonical.Append('\n').Append(signedHeaderList).Append('\n').Append(payloadHash);

        var utc = signedAt.UtcDateTime;
        var date = utc.ToString(DateFormat, CultureInfo.InvariantCulture);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{utc.ToString(DateTimeFormat, CultureInfo.InvariantCulture)}\n{scope}\n" +
                           Convert.ToHexStringLower(AWS4Signer.ComputeHash(canonical.ToString()));

        var key = AWS4Signer.ComposeSigningKey(secretKey, region, date, service);
        var signature = Convert.ToHexStringLower(AWS4Signer.ComputeKeyedHash(SigningAlgorithm.HmacSHA256, key, stringToSign));
        var authorization = $"{Algorithm} Credential={accessKey}/{scope}, SignedHeaders={signedHeaderList}, Signature={signature}";
        return new SigV4Signature(signature, authorization);
    }

    /// <summary>SigV4 encodes each path segment once more than it travels: %3A becomes %253A.</summary>
    public static string CanonicalPath(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string CanonicalValue(string value) =>
        string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A request signature: hex <see cref="Signature"/> seeds the event chain; <see cref="Authorization"/> is the header.</summary>
public sealed record SigV4Signature(string Signature, string Authorization);
