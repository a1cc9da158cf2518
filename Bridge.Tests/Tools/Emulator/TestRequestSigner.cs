using System.Globalization;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>
/// The tests' own SigV4 signer for the stream request, written from the AWS documentation and built on AWSSDK.Core's
/// <see cref="AWS4Signer.ComputeSignature(string, string, string, DateTime, string, string, string)"/>: signs host,
/// content-type, x-amz-content-sha256 and x-amz-date, with the path double-encoded.
/// </summary>
internal static class TestRequestSigner
{
    public const string StreamingSha256 = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

    /// <summary>Sets x-amz-date, x-amz-content-sha256 and Authorization on <paramref name="request"/>; returns the signature.</summary>
    public static string Sign(HttpRequestMessage request, TestCredentials credentials, DateTime signedAt)
    {
        var amzDate = signedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", StreamingSha256);
        var uri = request.RequestUri!;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = "application/vnd.amazon.eventstream",
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            ["x-amz-content-sha256"] = StreamingSha256,
            ["x-amz-date"] = amzDate,
        };
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append("POST\n")
            .Append(string.Join('/', uri.AbsolutePath.Split('/').Select(s => Uri.EscapeDataString(s)))).Append('\n')
            .Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(StreamingSha256);
        var signature = AWS4Signer.ComputeSignature(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.Region,
            signedAt, "bedrock", signedHeaders, canonical.ToString()).Signature;
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{amzDate[..8]}/{credentials.Region}/bedrock/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}");
        return signature;
    }
}
