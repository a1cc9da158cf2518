using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.HttpTools;

/// <summary>
/// Signs a tool request so the backend can tell it came from this bridge, unaltered and recently:
/// <c>X-Bridge-Signature: v1=hex(HMAC-SHA256(secret, "{timestamp}.{body}"))</c> with
/// <c>X-Bridge-Timestamp: {unix seconds}</c>. docs/agents.md shows how a backend verifies it.
/// </summary>
public static class ToolRequestSigner
{
    public const string TimestampHeader = "X-Bridge-Timestamp";
    public const string SignatureHeader = "X-Bridge-Signature";
    public const string ToolHeader = "X-Bridge-Tool";
    public const string ToolUseIdHeader = "X-Bridge-Tool-Use-Id";
    public const string SignatureVersion = "v1";

    /// <summary>The signature header's value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return SignatureVersion + "=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, signed));
    }

    /// <summary>What a backend does: recompute and compare in constant time, and refuse an old timestamp.</summary>
    public static bool Verify(ReadOnlySpan<byte> secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || signature is null ||
            Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, seconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
