using System.Diagnostics.CodeAnalysis;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace Bridge.Emulator.Signing;

/// <summary>
/// Verifies a Bedrock Runtime request's SigV4 signature: service <c>bedrock</c>, the canonical URI being the wire
/// path encoded once more (so <c>%3A</c> becomes <c>%253A</c>), the signed headers as the Authorization header
/// lists them, and the payload hash taken from <c>x-amz-content-sha256</c>.
/// </summary>
public sealed class RequestSignatureVerifier(string accessKeyId, string secretAccessKey, string region, TimeSpan allowedClockSkew)
{
    public const string StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

    /// <summary>On success <paramref name="seedSignature"/> is the request's signature, the seed of the frames' chain.</summary>
    public bool TryVerify(RequestToVerify request, DateTimeOffset now,
        [NotNullWhen(true)] out string? seedSignature, [NotNullWhen(false)] out SignatureFailure? failure)
    {
        seedSignature = null;
        var header = request.Header("authorization");
        if (string.IsNullOrEmpty(header))
        {
            failure = SignatureFailure.Missing();
            return false;
        }

        if (!SigV4Authorization.TryParse(header, out var authorization, out var problem))
        {
            failure = SignatureFailure.Incomplete(problem);
            return false;
        }

        if (!string.Equals(authorization.AccessKeyId, accessKeyId, StringComparison.Ordinal))
        {
            failure = SignatureFailure.UnknownKey();
            return false;
        }

        if (!TryCheckScope(authorization, request, now, out var signedAt, out failure))
        {
            return false;
        }

        var canonicalRequest = CanonicalRequest(request, authorization.SignedHeaders, out var missing);
        if (missing is not null)
        {
            failure = SignatureFailure.Incomplete($"'{missing}' is named in SignedHeaders but missing from the request.");
            return false;
        }

        var expected = AWS4Signer.ComputeSignature(accessKeyId, secretAccessKey, region, signedAt.UtcDateTime,
            EmulatorDefaults.SigningService, authorization.SignedHeadersText, canonicalRequest).Signature;
        if (!FixedTimeEquals(expected, authorization.Signature))
        {
            failure = SignatureFailure.Mismatch();
            return false;
        }

        seedSignature = authorization.Signature;
        failure = null;
        return true;
    }

    private bool TryCheckScope(SigV4Authorization authorization, RequestToVerify request, DateTimeOffset now,
        out DateTimeOffset signedAt, [NotNullWhen(false)] out SignatureFailure? failure)
    {
        failure = null;
        if (!SigV4Time.TryParseAmzDate(request.Header("x-amz-date"), out signedAt))
        {
            failure = SignatureFailure.Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
            return false;
        }

        if (authorization.Service != EmulatorDefaults.SigningService)
        {
            failure = SignatureFailure.Invalid($"Credential should be scoped to correct service: '{EmulatorDefaults.SigningService}'.");
        }
        else if (authorization.Region != region)
        {
            failure = SignatureFailure.Invalid($"Credential should be scoped to a valid region, not '{authorization.Region}'.");
        }
        else if (authorization.Date != SigV4Time.Date(signedAt))
        {
            failure = SignatureFailure.Invalid($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{authorization.Date}' != '{SigV4Time.Date(signedAt)}', from '{SigV4Time.AmzDate(signedAt)}'.");
        }
        else if (signedAt < now - allowedClockSkew)
        {
            failure = SignatureFailure.Invalid($"Signature expired: {SigV4Time.AmzDate(signedAt)} is now earlier than {SigV4Time.AmzDate(now - allowedClockSkew)} ({SigV4Time.AmzDate(now)} - {allowedClockSkew.TotalMinutes:0.#} min.)");
        }
        else if (signedAt > now + allowedClockSkew)
        {
            failure = SignatureFailure.Invalid($"Signature not yet current: {SigV4Time.AmzDate(signedAt)} is still later than {SigV4Time.AmzDate(now + allowedClockSkew)} ({SigV4Time.AmzDate(now)} + {allowedClockSkew.TotalMinutes:0.#} min.)");
        }
        else if (!authorization.SignedHeaders.Contains("host") && !authorization.SignedHeaders.Contains(":authority"))
        {
            failure = SignatureFailure.Incomplete("Signed headers must include 'host' (or ':authority').");
        }

        return failure is null;
    }

    internal static string CanonicalRequest(RequestToVerify request, IReadOnlyList<string> signedHeaders, out string? missingHeader)
    {
        missingHeader = null;
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(CanonicalUri(request.RawPath)).Append('\n');
        builder.Append(CanonicalQuery(request.RawQuery)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var value = name is "host" or ":authority" ? request.Authority : request.Header(name);
            if (value is null)
            {
                missingHeader ??= name;
                value = "";
            }

            builder.Append(name).Append(':').Append(CollapseSpaces(value)).Append('\n');
        }

        builder.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n');
        builder.Append(request.Header("x-amz-content-sha256") ?? "");
        return builder.ToString();
    }

    /// <summary>
    /// Each path segment, decoded from the wire, is URI-encoded twice: Bedrock is not S3. A model id sent as
    /// <c>%3A</c> or as a bare <c>:</c> both come out as <c>%253A</c>.
    /// </summary>
    internal static string CanonicalUri(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath))
        {
            return "/";
        }

        return string.Join('/', rawPath.Split('/').Select(segment => UriEncode(UriEncode(Uri.UnescapeDataString(segment)))));
    }

    private static string CanonicalQuery(string rawQuery)
    {
        var query = rawQuery.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=');
                var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
                return (Key: UriEncode(key), Value: UriEncode(value));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    private static string UriEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var builder = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c != ' ' || builder.Length == 0 || builder[^1] != ' ')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual.ToLowerInvariant()));
}
