using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace Bridge.Emulator.Signing;

/// <summary>
/// Follows one stream's event signature chain. Seeded with the request's signature; each frame is signed over
/// its <c>:date</c> header (as encoded, 15 bytes) and its payload, chained to the previous frame's signature:
/// <code>
/// AWS4-HMAC-SHA256-PAYLOAD \n amzDate \n date/region/bedrock/aws4_request \n previousHex \n hex(sha256(:date)) \n hex(sha256(payload))
/// </code>
/// </summary>
public sealed class ChunkSignatureVerifier(string secretAccessKey, string region, string seedSignature)
{
    private const string Algorithm = "AWS4-HMAC-SHA256-PAYLOAD";
    private string _previousSignature = seedSignature;
    private string? _keyDate;
    private byte[]? _signingKey;

    /// <summary>The signature of the last frame that verified (or the seed).</summary>
    public string PreviousSignature => _previousSignature;

    /// <summary>Checks one frame; only a frame that verifies moves the chain on.</summary>
    public bool Verify(DateTimeOffset date, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> payload)
    {
        var dateText = SigV4Time.Date(date);
        if (_keyDate != dateText)
        {
            _signingKey = AWS4Signer.ComposeSigningKey(secretAccessKey, region, dateText, EmulatorDefaults.SigningService);
            _keyDate = dateText;
        }

        var stringToSign = new StringBuilder(256)
            .Append(Algorithm).Append('\n')
            .Append(SigV4Time.AmzDate(date)).Append('\n')
            .Append(dateText).Append('/').Append(region).Append('/').Append(EmulatorDefaults.SigningService).Append("/aws4_request\n")
            .Append(_previousSignature).Append('\n')
            .Append(Convert.ToHexStringLower(SHA256.HashData(EncodeDateHeader(date)))).Append('\n')
            .Append(Convert.ToHexStringLower(SHA256.HashData(payload)))
            .ToString();

        // The signing key comes from AWSSDK.Core's ComposeSigningKey; the per-frame HMAC is the one-shot static,
        // which gives the same bytes as AWS4Signer.ComputeKeyedHash without a hash object per frame.
        var expected = HMACSHA256.HashData(_signingKey!, Encoding.UTF8.GetBytes(stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return false;
        }

        _previousSignature = Convert.ToHexStringLower(expected);
        return true;
    }

    /// <summary>The <c>:date</c> header as the event-stream codec writes it: name length, name, type 8, epoch milliseconds.</summary>
    internal static byte[] EncodeDateHeader(DateTimeOffset date)
    {
        var bytes = new byte[15];
        bytes[0] = 5;
        Encoding.ASCII.GetBytes(":date", bytes.AsSpan(1));
        bytes[6] = 8;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(7), date.ToUnixTimeMilliseconds());
        return bytes;
    }
}
