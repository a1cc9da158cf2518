using System.Buffers.Binary;
using System.Globalization;
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
/// The string to sign is built in a stack buffer and the hash objects are reused: 25 frames a second per call.
/// Not thread-safe: one stream's reader uses it.
/// </summary>
public sealed class ChunkSignatureVerifier : IDisposable
{
    private const int SignatureLength = 32;
    private static ReadOnlySpan<byte> Algorithm => "AWS4-HMAC-SHA256-PAYLOAD\n"u8;

    private readonly string _secretAccessKey;
    private readonly string _region;
    private readonly byte[] _scopeSuffix;
    private byte[] _previous;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private IncrementalHash? _hmac;
    private DateOnly _keyDate;

    public ChunkSignatureVerifier(string secretAccessKey, string region, string seedSignature)
    {
        _secretAccessKey = secretAccessKey;
        _region = region;
        _scopeSuffix = Encoding.ASCII.GetBytes($"/{region}/{EmulatorDefaults.SigningService}/aws4_request\n");
        _previous = Encoding.ASCII.GetBytes(seedSignature);
    }

    /// <summary>The signature of the last frame that verified (or the seed).</summary>
    public string PreviousSignature => Encoding.ASCII.GetString(_previous);

    /// <summary>Checks one frame; only a frame that verifies moves the chain on.</summary>
    public bool Verify(DateTimeOffset date, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> payload)
    {
        var utc = date.UtcDateTime;
        Span<byte> stringToSign = stackalloc byte[Algorithm.Length + 16 + 1 + 8 + _scopeSuffix.Length + _previous.Length + 1 + 64 + 1 + 64];
        var at = Append(stringToSign, 0, Algorithm);
        utc.TryFormat(stringToSign[at..], out var written, SigV4Time.AmzDateFormat, CultureInfo.InvariantCulture);
        at += written;
        stringToSign[at++] = (byte)'\n';
        utc.TryFormat(stringToSign[at..], out written, SigV4Time.DateFormat, CultureInfo.InvariantCulture);
        at += written;
        at = Append(stringToSign, at, _scopeSuffix);
        at = Append(stringToSign, at, _previous);
        stringToSign[at++] = (byte)'\n';

        Span<byte> dateHeader = stackalloc byte[15];
        EncodeDateHeader(date, dateHeader);
        at += HexOfSha256(dateHeader, stringToSign[at..]);
        stringToSign[at++] = (byte)'\n';
        at += HexOfSha256(payload, stringToSign[at..]);

        // The signing key comes from AWSSDK.Core's ComposeSigningKey (derived again when the day changes).
        var hmac = HmacFor(DateOnly.FromDateTime(utc));
        Span<byte> expected = stackalloc byte[SignatureLength];
        hmac.AppendData(stringToSign[..at]);
        hmac.GetHashAndReset(expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return false;
        }

        if (_previous.Length != SignatureLength * 2)
        {
            _previous = new byte[SignatureLength * 2];
        }
        Convert.TryToHexStringLower(expected, _previous, out _);
        return true;
    }

    public void Dispose()
    {
        _sha256.Dispose();
        _hmac?.Dispose();
    }

    /// <summary>The <c>:date</c> header as the event-stream codec writes it: name length, name, type 8, epoch milliseconds.</summary>
    internal static byte[] EncodeDateHeader(DateTimeOffset date)
    {
        var bytes = new byte[15];
        EncodeDateHeader(date, bytes);
        return bytes;
    }

    private static void EncodeDateHeader(DateTimeOffset date, Span<byte> destination)
    {
        destination[0] = 5;
        ":date"u8.CopyTo(destination[1..]);
        destination[6] = 8;
        BinaryPrimitives.WriteInt64BigEndian(destination[7..], date.ToUnixTimeMilliseconds());
    }

    private int HexOfSha256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        _sha256.AppendData(data);
        _sha256.GetHashAndReset(hash);
        Convert.TryToHexStringLower(hash, destination, out var written);
        return written;
    }

    private IncrementalHash HmacFor(DateOnly date)
    {
        if (_hmac is null || date != _keyDate)
        {
            var key = AWS4Signer.ComposeSigningKey(_secretAccessKey, _region,
                date.ToString(SigV4Time.DateFormat, CultureInfo.InvariantCulture), EmulatorDefaults.SigningService);
            _hmac?.Dispose();
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            _keyDate = date;
        }
        return _hmac;
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> value)
    {
        value.CopyTo(destination[at..]);
        return at + value.Length;
    }
}
