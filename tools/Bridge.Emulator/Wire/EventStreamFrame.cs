using System.Buffers.Binary;
using System.IO.Hashing;

namespace Bridge.Emulator.Wire;

/// <summary>
/// One event-stream message read in place: the prelude (total and header lengths, prelude CRC), the headers, the
/// payload and the message CRC, as AWSSDK.Core's codec lays them out and checks them — without a message object,
/// a header dictionary or a copy of the payload per frame (the input carries 25 frames a second per call).
/// </summary>
public readonly ref struct EventStreamFrame
{
    public const int PreludeLength = 12;
    public const int CrcLength = 4;

    private const byte BoolTrue = 0, BoolFalse = 1, Byte = 2, Int16 = 3, Int32 = 4, Int64 = 5, ByteBuffer = 6, String = 7, Timestamp = 8, Uuid = 9;

    private EventStreamFrame(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> payload)
    {
        Headers = headers;
        Payload = payload;
    }

    /// <summary>The encoded headers.</summary>
    public ReadOnlySpan<byte> Headers { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Reads the message that fills <paramref name="message"/>, checking its lengths and both CRCs.</summary>
    public static EventStreamFrame Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < PreludeLength + CrcLength)
        {
            throw new FrameDecodeException($"{message.Length} bytes are too few for an event stream message.");
        }
        var total = BinaryPrimitives.ReadUInt32BigEndian(message);
        var headersLength = BinaryPrimitives.ReadUInt32BigEndian(message[4..]);
        if (total != (uint)message.Length)
        {
            throw new FrameDecodeException($"The prelude says {total} bytes, the message has {message.Length}.");
        }
        if (Crc32.HashToUInt32(message[..8]) != BinaryPrimitives.ReadUInt32BigEndian(message[8..]))
        {
            throw new FrameDecodeException("The prelude's CRC does not match.");
        }
        if (headersLength > total - PreludeLength - CrcLength)
        {
            throw new FrameDecodeException($"The headers' length {headersLength} does not fit in the message.");
        }
        if (Crc32.HashToUInt32(message[..^CrcLength]) != BinaryPrimitives.ReadUInt32BigEndian(message[^CrcLength..]))
        {
            throw new FrameDecodeException("The message's CRC does not match.");
        }
        var headers = message.Slice(PreludeLength, (int)headersLength);
        var frame = new EventStreamFrame(headers, message[(PreludeLength + (int)headersLength)..^CrcLength]);
        // Every header must be readable, as the SDK's decoder reads them all.
        frame.TryGetHeader(default, out _, out _);
        return frame;
    }

    /// <summary>The header named <paramref name="name"/>: its type and its value's bytes (a string's UTF-8, a number big-endian).</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out byte type, out ReadOnlySpan<byte> value)
    {
        var rest = Headers;
        while (!rest.IsEmpty)
        {
            var nameLength = rest[0];
            if (rest.Length < 1 + nameLength + 1)
            {
                throw new FrameDecodeException("A header is cut short.");
            }
            var headerName = rest.Slice(1, nameLength);
            type = rest[1 + nameLength];
            rest = rest[(2 + nameLength)..];
            int valueLength;
            var lengthBytes = 0;
            switch (type)
            {
                case BoolTrue or BoolFalse:
                    valueLength = 0;
                    break;
                case Byte:
                    valueLength = 1;
                    break;
                case Int16:
                    valueLength = 2;
                    break;
                case Int32:
                    valueLength = 4;
                    break;
                case Int64 or Timestamp:
                    valueLength = 8;
                    break;
                case Uuid:
                    valueLength = 16;
                    break;
                case ByteBuffer or String:
                    if (rest.Length < 2)
                    {
                        throw new FrameDecodeException("A header is cut short.");
                    }
                    valueLength = BinaryPrimitives.ReadUInt16BigEndian(rest);
                    lengthBytes = 2;
                    break;
                default:
                    throw new FrameDecodeException($"A header has the unknown type {type}.");
            }
            if (rest.Length < lengthBytes + valueLength)
            {
                throw new FrameDecodeException("A header is cut short.");
            }
            value = rest.Slice(lengthBytes, valueLength);
            rest = rest[(lengthBytes + valueLength)..];
            if (!name.IsEmpty && headerName.SequenceEqual(name))
            {
                return true;
            }
        }
        type = 0;
        value = default;
        return false;
    }

    /// <summary>True when the header is a string equal to <paramref name="expected"/>.</summary>
    public bool HeaderEquals(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) =>
        TryGetHeader(name, out var type, out var value) && type == String && value.SequenceEqual(expected);

    public bool TryGetTimestamp(ReadOnlySpan<byte> name, out DateTimeOffset value)
    {
        if (TryGetHeader(name, out var type, out var bytes) && type == Timestamp)
        {
            value = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes));
            return true;
        }
        value = default;
        return false;
    }

    public bool TryGetBytes(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        TryGetHeader(name, out var type, out value) && type == ByteBuffer;

    /// <summary>The length of a message with these encoded headers and a payload of this length.</summary>
    public static int Length(int headersLength, int payloadLength) => PreludeLength + headersLength + payloadLength + CrcLength;

    /// <summary>Writes one string header (name, type 7, length, value); returns its length.</summary>
    public static int WriteStringHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, Span<byte> destination)
    {
        destination[0] = (byte)name.Length;
        name.CopyTo(destination[1..]);
        destination[1 + name.Length] = String;
        BinaryPrimitives.WriteUInt16BigEndian(destination[(2 + name.Length)..], (ushort)value.Length);
        value.CopyTo(destination[(4 + name.Length)..]);
        return StringHeaderLength(name, value);
    }

    public static int StringHeaderLength(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => 1 + name.Length + 1 + 2 + value.Length;

    /// <summary>Writes the prelude and the message CRC around headers and payload already in place.</summary>
    public static void Finish(Span<byte> message, int headersLength)
    {
        BinaryPrimitives.WriteUInt32BigEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message[4..], (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message[8..], Crc32.HashToUInt32(message[..8]));
        BinaryPrimitives.WriteUInt32BigEndian(message[^CrcLength..], Crc32.HashToUInt32(message[..^CrcLength]));
    }
}
