using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Hashing;
using System.Text;

namespace Bridge.Bedrock;

/// <summary>
/// Writes event-stream messages straight into a caller's span (AWSSDK.Core's <c>EventStreamMessage</c> allocates a
/// list, a dictionary and several arrays per message, too many for 30 audio events a second per call).
/// Message: total length (4) | headers length (4) | prelude CRC32 (4) | headers | payload | message CRC32 (4), big-endian.
/// </summary>
public static class EventStreamEncoding
{
    public const int PreludeLength = 12;
    public const int TrailerLength = 4;

    private const byte StringHeader = 7;

    /// <summary>The headers of every input event: <c>:event-type=chunk</c>, <c>:message-type=event</c>, <c>:content-type=application/json</c>.</summary>
    private static readonly byte[] ChunkEventHeaders = EncodeStringHeaders(
        (":event-type", "chunk"), (":message-type", "event"), (":content-type", "application/json"));

    private static ReadOnlySpan<byte> BytesPrefix => "{\"bytes\":\""u8;
    private static ReadOnlySpan<byte> BytesSuffix => "\"}"u8;

    /// <summary>The length of the inner message that carries <paramref name="eventJsonLength"/> bytes of event JSON.</summary>
    public static int ChunkEventLength(int eventJsonLength) =>
        PreludeLength + ChunkEventHeaders.Length + BytesPrefix.Length + Base64.GetMaxEncodedToUtf8Length(eventJsonLength) +
        BytesSuffix.Length + TrailerLength;

    /// <summary>Writes the inner message: the chunk headers and <c>{"bytes":"base64(eventJson)"}</c>. Returns its length.</summary>
    public static int WriteChunkEvent(ReadOnlySpan<byte> eventJson, Span<byte> destination)
    {
        var length = ChunkEventLength(eventJson.Length);
        var headersLength = ChunkEventHeaders.Length;
        var body = destination[PreludeLength..length];
        ChunkEventHeaders.CopyTo(body);
        var payload = body[headersLength..];
        BytesPrefix.CopyTo(payload);
        Base64.EncodeToUtf8(eventJson, payload[BytesPrefix.Length..], out _, out var written);
        BytesSuffix.CopyTo(payload[(BytesPrefix.Length + written)..]);
        Finish(destination[..length], headersLength);
        return length;
    }

    /// <summary>Fills in the prelude and both CRCs of a message whose headers and payload are already in place.</summary>
    public static void Finish(Span<byte> message, int headersLength)
    {
        BinaryPrimitives.WriteInt32BigEndian(message, message.Length);
        BinaryPrimitives.WriteInt32BigEndian(message[4..], headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message[8..], Crc32.HashToUInt32(message[..8]));
        var crcAt = message.Length - TrailerLength;
        BinaryPrimitives.WriteUInt32BigEndian(message[crcAt..], Crc32.HashToUInt32(message[..crcAt]));
    }

    /// <summary>Writes a header name (1-byte length) and its type byte; returns where the value starts.</summary>
    public static int WriteHeaderName(ReadOnlySpan<byte> name, byte type, Span<byte> destination)
    {
        destination[0] = (byte)name.Length;
        name.CopyTo(destination[1..]);
        destination[1 + name.Length] = type;
        return 2 + name.Length;
    }

    private static byte[] EncodeStringHeaders(params (string Name, string Value)[] headers)
    {
        var buffer = new List<byte>();
        foreach (var (name, value) in headers)
        {
            var nameBytes = Encoding.ASCII.GetBytes(name);
            var valueBytes = Encoding.UTF8.GetBytes(value);
            buffer.Add((byte)nameBytes.Length);
            buffer.AddRange(nameBytes);
            buffer.Add(StringHeader);
            buffer.Add((byte)(valueBytes.Length >> 8));
            buffer.Add((byte)valueBytes.Length);
            buffer.AddRange(valueBytes);
        }
        return [.. buffer];
    }
}
