using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.SampleToolBackend;

/// <summary>
/// What a backend checks before acting on a tool request (docs/agents.md, "Verifying a request"): the HMAC-SHA256
/// of "{X-Bridge-Timestamp}.{body}" under the tool's secret, hex, equals X-Bridge-Signature's v1 value, and the
/// timestamp is recent. Written out here rather than taken from the bridge: a backend has only its secret.
/// </summary>
public static class BridgeSignature
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static bool IsValid(string secret, string? timestamp, string? signature, byte[] body, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds ||
            signature is null || !signature.StartsWith("v1=", StringComparison.Ordinal))
        {
            return false;
        }
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature[3..]));
    }
}
