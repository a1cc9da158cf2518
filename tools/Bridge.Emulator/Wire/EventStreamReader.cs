using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Bridge.Emulator.Wire;

/// <summary>
/// Reads whole event-stream messages from a request body into one reused buffer, and decodes them in place
/// (<see cref="EventStreamFrame"/> checks both CRCs, as AWSSDK.Core's codec does).
/// </summary>
public sealed class EventStreamReader(PipeReader body, int maxMessageBytes = 1 << 20)
{
    private const int PreludeBytes = 12;
    private byte[] _message = new byte[4096];

    /// <summary>The next message's bytes (valid until the next call), or null when the body ended cleanly between messages.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                var total = ReadTotalLength(buffer);
                if (total < PreludeBytes + 4 || total > maxMessageBytes)
                {
                    body.AdvanceTo(buffer.Start, buffer.End);
                    throw new FrameDecodeException($"Event stream message length {total} is out of range.");
                }

                if (buffer.Length >= total)
                {
                    if (_message.Length < total)
                    {
                        _message = new byte[Math.Max(total, _message.Length * 2)];
                    }
                    buffer.Slice(0, total).CopyTo(_message);
                    body.AdvanceTo(buffer.GetPosition(total));
                    return _message.AsMemory(0, total);
                }
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                body.AdvanceTo(buffer.End);
                if (buffer.Length == 0)
                {
                    return null;
                }

                throw new FrameDecodeException("The input ended in the middle of an event stream message.");
            }

            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Decodes a signed outer message into its date, signature and payload, in place.</summary>
    public static SignedFrame ReadSigned(ReadOnlySpan<byte> message)
    {
        var decoded = EventStreamFrame.Read(message);
        if (!decoded.TryGetTimestamp(":date"u8, out var date))
        {
            throw new FrameDecodeException("Event stream message is missing the :date header.");
        }

        if (!decoded.TryGetBytes(":chunk-signature"u8, out var signature))
        {
            throw new FrameDecodeException("Event stream message is missing the :chunk-signature header.");
        }

        return new SignedFrame(date, signature, decoded.Payload);
    }

    /// <summary>Decodes a signed outer message into its date, signature and payload (copies of them).</summary>
    public static InputFrame DecodeSigned(byte[] message)
    {
        var frame = ReadSigned(message);
        return new InputFrame(frame.Date, frame.Signature.ToArray(), frame.Payload.ToArray());
    }

    /// <summary>
    /// Decodes the inner event message and its JSON payload's <c>bytes</c> field (base64) into
    /// <paramref name="scratch"/> (grown when too small); returns the event JSON's length.
    /// </summary>
    public static int ReadEventJson(ReadOnlySpan<byte> innerMessage, ref byte[] scratch)
    {
        var decoded = EventStreamFrame.Read(innerMessage);
        if (!decoded.HeaderEquals(":message-type"u8, "event"u8) || !decoded.HeaderEquals(":event-type"u8, "chunk"u8))
        {
            throw new FrameDecodeException("Inner event message must be :message-type event, :event-type chunk.");
        }

        return ChunkPayload.DecodeBytes(decoded.Payload, ref scratch);
    }

    /// <summary>Decodes the inner event message and returns its JSON payload's <c>bytes</c> field, base64-decoded.</summary>
    public static byte[] DecodeEventJson(byte[] innerMessage)
    {
        var scratch = Array.Empty<byte>();
        var length = ReadEventJson(innerMessage, ref scratch);
        return scratch[..length];
    }

    private static int ReadTotalLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prelude = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prelude);
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        return total > int.MaxValue ? int.MaxValue : (int)total;
    }
}

/// <summary>A signed outer message read in place: its <c>:date</c>, <c>:chunk-signature</c> and payload.</summary>
public readonly ref struct SignedFrame(DateTimeOffset date, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> payload)
{
    public DateTimeOffset Date { get; } = date;

    public ReadOnlySpan<byte> Signature { get; } = signature;

    public ReadOnlySpan<byte> Payload { get; } = payload;

    public bool IsEndOfInput => Payload.IsEmpty;
}
