using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Amazon.Runtime.EventStreams;

namespace Bridge.Bedrock;

/// <summary>
/// Decodes response bytes as they arrive, in pieces of any size: each event-stream message is read where it lies in
/// the caller's buffer (a message cut between two reads is put together in a pooled buffer first), its prelude and
/// message CRCs checked as AWSSDK.Core's decoder checks them, its headers read without objects. Chunk events go to the
/// callback with their <c>{"bytes"}</c> part decoded into a pooled array (see <see cref="BedrockChunk.Release"/>); an exception or error message is thrown
/// from <see cref="Process"/> as a typed <see cref="BedrockStreamException"/>, a damaged message as AWSSDK.Core's
/// <see cref="EventStreamChecksumFailureException"/>. One per stream, used by its reader.
/// </summary>
public sealed class EventStreamResponseDecoder : IDisposable
{
    private const int PreludeLength = 12;
    private const int CrcLength = 4;
    private const byte StringHeader = 7;
    private const byte ByteBufferHeader = 6;

    /// <summary>A message claiming more than this is damaged (Nova's largest events are a few KB).</summary>
    public const int MaxMessageLength = 16 * 1024 * 1024;

    private readonly Action<BedrockChunk> _onChunk;
    private BedrockStreamException? _failure;
    private byte[]? _partial;
    private int _partialCount;

    public EventStreamResponseDecoder(Action<BedrockChunk> onChunk)
    {
        _onChunk = onChunk;
    }

    /// <summary>Feeds the first <paramref name="count"/> bytes of <paramref name="buffer"/>, which may be reused afterwards.</summary>
    public void Process(byte[] buffer, int count)
    {
        ReadOnlySpan<byte> input = buffer.AsSpan(0, count);
        if (_partialCount > 0)
        {
            input = CompletePartial(input);
        }
        while (_failure is null && input.Length >= 4)
        {
            var total = MessageLength(input);
            if (input.Length < total)
            {
                break;
            }
            Decode(input[..total]);
            input = input[total..];
        }
        if (_failure is null && !input.IsEmpty)
        {
            KeepPartial(input);
        }
        if (_failure is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Adds to the message begun in an earlier read; returns what is left of <paramref name="input"/>.</summary>
    private ReadOnlySpan<byte> CompletePartial(ReadOnlySpan<byte> input)
    {
        if (_partialCount < 4)
        {
            var take = Math.Min(4 - _partialCount, input.Length);
            input[..take].CopyTo(_partial.AsSpan(_partialCount));
            _partialCount += take;
            input = input[take..];
            if (_partialCount < 4)
            {
                return input;
            }
        }
        var total = MessageLength(_partial);
        Grow(total);
        var missing = Math.Min(total - _partialCount, input.Length);
        input[..missing].CopyTo(_partial.AsSpan(_partialCount));
        _partialCount += missing;
        input = input[missing..];
        if (_partialCount == total)
        {
            var message = _partial!;
            _partialCount = 0;
            _partial = null;
            try
            {
                Decode(message.AsSpan(0, total));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(message);
            }
        }
        return input;
    }

    private void KeepPartial(ReadOnlySpan<byte> input)
    {
        Grow(input.Length >= 4 ? MessageLength(input) : 4);
        input.CopyTo(_partial);
        _partialCount = input.Length;
    }

    private void Grow(int length)
    {
        if (_partial is null || _partial.Length < length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(length, 256));
            if (_partial is not null)
            {
                _partial.AsSpan(0, _partialCount).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_partial);
            }
            _partial = larger;
        }
    }

    private static int MessageLength(ReadOnlySpan<byte> prelude)
    {
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        if (total < PreludeLength + CrcLength || total > MaxMessageLength)
        {
            throw new EventStreamChecksumFailureException($"An event stream message of {total} bytes: the stream is damaged.");
        }
        return (int)total;
    }

    /// <summary>Reads one whole message: a chunk goes to the callback, an exception or error becomes the failure.</summary>
    private void Decode(ReadOnlySpan<byte> message)
    {
        if (Crc32.HashToUInt32(message[..8]) != BinaryPrimitives.ReadUInt32BigEndian(message[8..]))
        {
            throw new EventStreamChecksumFailureException("The prelude checksum of an event stream message does not match.");
        }
        if (Crc32.HashToUInt32(message[..^CrcLength]) != BinaryPrimitives.ReadUInt32BigEndian(message[^CrcLength..]))
        {
            throw new EventStreamChecksumFailureException("The message checksum of an event stream message does not match.");
        }
        var headersLength = BinaryPrimitives.ReadUInt32BigEndian(message[4..]);
        if (headersLength > message.Length - PreludeLength - CrcLength)
        {
            throw new InvalidDataException($"An event stream message's headers ({headersLength} bytes) do not fit in it.");
        }
        var headers = message.Slice(PreludeLength, (int)headersLength);
        var payload = message[(PreludeLength + (int)headersLength)..^CrcLength];

        var messageType = Header(headers, ":message-type"u8);
        if (messageType.SequenceEqual("event"u8))
        {
            if (Header(headers, ":event-type"u8).SequenceEqual("chunk"u8))
            {
                _onChunk(ReadBytesMember(payload));
            }
        }
        else if (messageType.SequenceEqual("exception"u8))
        {
            _failure = BedrockErrorClassifier.FromErrorType(HeaderString(headers, ":exception-type"u8), ReadMessageMember(payload));
        }
        else if (messageType.SequenceEqual("error"u8))
        {
            _failure = BedrockErrorClassifier.FromErrorType(HeaderString(headers, ":error-code"u8), HeaderString(headers, ":error-message"u8));
        }
    }

    /// <summary>The value of the string header <paramref name="name"/>, or empty (absent, or not a string).</summary>
    private static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> name)
    {
        while (!headers.IsEmpty)
        {
            var nameLength = headers[0];
            if (headers.Length < nameLength + 2)
            {
                throw new InvalidDataException("An event stream header is cut short.");
            }
            var headerName = headers.Slice(1, nameLength);
            var type = headers[1 + nameLength];
            headers = headers[(2 + nameLength)..];
            var valueLength = ValueLength(type, headers, out var lengthBytes);
            if (headers.Length < lengthBytes + valueLength)
            {
                throw new InvalidDataException("An event stream header is cut short.");
            }
            var value = headers.Slice(lengthBytes, valueLength);
            headers = headers[(lengthBytes + valueLength)..];
            if (headerName.SequenceEqual(name))
            {
                return type == StringHeader ? value : default;
            }
        }
        return default;
    }

    private static int ValueLength(byte type, ReadOnlySpan<byte> rest, out int lengthBytes)
    {
        lengthBytes = 0;
        switch (type)
        {
            case 0 or 1:
                return 0;
            case 2:
                return 1;
            case 3:
                return 2;
            case 4:
                return 4;
            case 5 or 8:
                return 8;
            case 9:
                return 16;
            case ByteBufferHeader or StringHeader:
                if (rest.Length < 2)
                {
                    throw new InvalidDataException("An event stream header is cut short.");
                }
                lengthBytes = 2;
                return BinaryPrimitives.ReadUInt16BigEndian(rest);
            default:
                throw new InvalidDataException($"An event stream header has the unknown type {type}.");
        }
    }

    private static string? HeaderString(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> name)
    {
        var value = Header(headers, name);
        return value.IsEmpty ? null : Encoding.UTF8.GetString(value);
    }

    /// <summary>The payload part <c>{"bytes":"base64"}</c>, decoded into an array of its exact length.</summary>
    private static BedrockChunk ReadBytesMember(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("bytes"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
                {
                    return new BedrockChunk(reader.GetBytesFromBase64());
                }
                var base64 = reader.ValueSpan;
                var length = DecodedLength(base64);
                var bytes = ArrayPool<byte>.Shared.Rent(length);
                if (Base64.DecodeFromUtf8(base64, bytes.AsSpan(0, length), out _, out var written) != OperationStatus.Done || written != length)
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                    throw new FormatException("The bytes of an event are not base64.");
                }
                return BedrockChunk.Pooled(bytes, length);
            }
        }
        return new BedrockChunk(ReadOnlyMemory<byte>.Empty);
    }

    private static int DecodedLength(ReadOnlySpan<byte> base64)
    {
        if (base64.Length % 4 != 0)
        {
            throw new FormatException("The bytes of an event are not base64.");
        }
        var padding = base64.IsEmpty || base64[^1] != '=' ? 0 : base64[^2] == '=' ? 2 : 1;
        return base64.Length / 4 * 3 - padding;
    }

    private static string? ReadMessageMember(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 &&
                    (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("Message"u8)))
                {
                    reader.Read();
                    return reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(payload);
        }
        return null;
    }

    /// <summary>Gives back the buffer of a message still waiting for its end.</summary>
    public void Dispose()
    {
        if (_partial is { } partial)
        {
            _partial = null;
            _partialCount = 0;
            ArrayPool<byte>.Shared.Return(partial);
        }
    }
}
