using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime.Internal.Auth;

namespace Bridge.Bedrock;

/// <summary>
/// The chunk-signature chain of one stream: each event's signature covers its <c>:date</c> header, its payload
/// and the previous signature (the first one, the request's). Not thread-safe: the stream signs under its lock.
/// </summary>
public sealed class EventSignatureChain : IDisposable
{
    public const int SignatureLength = 32;

    /// <summary>The encoded <c>:date</c> header: name length, name, type 8, int64 epoch milliseconds.</summary>
    public const int DateHeaderLength = 1 + 5 + 1 + 8;

    private const byte TimestampHeader = 8;
    private static ReadOnlySpan<byte> DateHeaderName => ":date"u8;
    private static ReadOnlySpan<byte> PayloadAlgorithm => "AWS4-HMAC-SHA256-PAYLOAD\n"u8;

    private readonly string _secretKey;
    private readonly string _region;
    private readonly string _service;
    private readonly byte[] _scopeSuffix;
    private readonly byte[] _previousHex = new byte[SignatureLength * 2];
    // Reused hash objects: the one-shot static helpers set up a native context on every call, a third of the cost.
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private IncrementalHash? _hmac;
    private DateOnly _signingKeyDate;

    public EventSignatureChain(string secretKey, string region, string service, string requestSignatureHex)
    {
        if (requestSignatureHex.Length != _previousHex.Length)
        {
            throw new ArgumentException("A SigV4 signature is 64 hex characters.", nameof(requestSignatureHex));
        }
        _secretKey = secretKey;
        _region = region;
        _service = service;
        _scopeSuffix = System.Text.Encoding.ASCII.GetBytes($"/{region}/{service}/aws4_request\n");
        System.Text.Encoding.ASCII.GetBytes(requestSignatureHex.ToLowerInvariant(), _previousHex);
    }

    /// <summary>Writes the encoded <c>:date</c> header for <paramref name="date"/> (millisecond precision).</summary>
    public static void WriteDateHeader(DateTimeOffset date, Span<byte> destination)
    {
        var at = EventStreamEncoding.WriteHeaderName(DateHeaderName, TimestampHeader, destination);
        BinaryPrimitives.WriteInt64BigEndian(destination[at..], date.ToUnixTimeMilliseconds());
    }

    /// <summary>Signs one event: writes its 32-byte signature and makes it the previous one for the next event.</summary>
    public void Sign(DateTimeOffset date, ReadOnlySpan<byte> encodedDateHeader, ReadOnlySpan<byte> payload, Span<byte> signature)
    {
        Span<byte> stringToSign = stackalloc byte[PayloadAlgorithm.Length + 16 + 1 + 8 + _scopeSuffix.Length + 64 * 3 + 2];
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(date.ToUnixTimeMilliseconds()).UtcDateTime;

        var at = Append(stringToSign, 0, PayloadAlgorithm);
        WriteBasicDateTime(utc, stringToSign[at..]);
        at += 16;
        stringToSign[at++] = (byte)'\n';
        stringToSign.Slice(at - 17, 8).CopyTo(stringToSign[at..]);
        at += 8;
        at = Append(stringToSign, at, _scopeSuffix);
        at = Append(stringToSign, at, _previousHex);
        stringToSign[at++] = (byte)'\n';

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        _sha256.AppendData(encodedDateHeader);
        _sha256.GetHashAndReset(hash);
        Convert.TryToHexStringLower(hash, stringToSign[at..], out var written);
        at += written;
        stringToSign[at++] = (byte)'\n';
        _sha256.AppendData(payload);
        _sha256.GetHashAndReset(hash);
        Convert.TryToHexStringLower(hash, stringToSign[at..], out written);
        at += written;

        var hmac = HmacFor(DateOnly.FromDateTime(utc));
        hmac.AppendData(stringToSign[..at]);
        hmac.GetHashAndReset(signature[..SignatureLength]);
        Convert.TryToHexStringLower(signature[..SignatureLength], _previousHex, out _);
    }

    /// <summary>An HMAC keyed with the SigV4 signing key of the frame's day (derived again when the day changes).</summary>
    private IncrementalHash HmacFor(DateOnly date)
    {
        if (_hmac is null || date != _signingKeyDate)
        {
            var key = AWS4Signer.ComposeSigningKey(_secretKey, _region,
                date.ToString(SigV4RequestSigner.DateFormat, CultureInfo.InvariantCulture), _service);
            _hmac?.Dispose();
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            _signingKeyDate = date;
        }
        return _hmac;
    }

    public void Dispose()
    {
        _sha256.Dispose();
        _hmac?.Dispose();
    }

    /// <summary>Writes <c>yyyyMMddTHHmmssZ</c> (16 ASCII bytes) without a format string to parse.</summary>
    private static void WriteBasicDateTime(DateTime utc, Span<byte> destination)
    {
        WriteDigits(utc.Year, 4, destination);
        WriteDigits(utc.Month, 2, destination[4..]);
        WriteDigits(utc.Day, 2, destination[6..]);
        destination[8] = (byte)'T';
        WriteDigits(utc.Hour, 2, destination[9..]);
        WriteDigits(utc.Minute, 2, destination[11..]);
        WriteDigits(utc.Second, 2, destination[13..]);
        destination[15] = (byte)'Z';
    }

    private static void WriteDigits(int value, int count, Span<byte> destination)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> value)
    {
        value.CopyTo(destination[at..]);
        return at + value.Length;
    }
}
