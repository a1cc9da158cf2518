using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Amazon.Runtime.EventStreams;

namespace Bridge.Emulator.Wire;

/// <summary>Reads whole event-stream messages from a request body and decodes them with AWSSDK.Core's codec (which checks both CRCs).</summary>
public sealed class EventStreamReader(PipeReader body, int maxMessageBytes = 1 << 20)
{
    private const int PreludeBytes = 12;

    /// <summary>The next message's bytes, or null when the body ended cleanly between messages.</summary>
    public async ValueTask<byte[]?> ReadMessageAsync(CancellationToken cancellationToken)
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
                    var message = buffer.Slice(0, total).ToArray();
                    body.AdvanceTo(buffer.GetPosition(total));
                    return message;
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

    /// <summary>Decodes a signed outer message into its date, signature and payload.</summary>
    public static InputFrame DecodeSigned(byte[] message)
    {
        EventStreamMessage decoded;
        try
        {
            decoded = EventStreamMessage.FromBuffer(message, 0, message.Length);
        }
        catch (Exception e) when (e is EventStreamChecksumFailureException or EventStreamParseException or ArgumentException or IndexOutOfRangeException)
        {
            throw new FrameDecodeException("Event stream message could not be decoded: " + e.Message);
        }

        if (!decoded.Headers.TryGetValue(":date", out var date) || date.HeaderType != EventStreamHeaderType.Timestamp)
        {
            throw new FrameDecodeException("Event stream message is missing the :date header.");
        }

        if (!decoded.Headers.TryGetValue(":chunk-signature", out var signature) || signature.HeaderType != EventStreamHeaderType.ByteBuf)
        {
            throw new FrameDecodeException("Event stream message is missing the :chunk-signature header.");
        }

        var at = new DateTimeOffset(DateTime.SpecifyKind(date.AsTimestamp(), DateTimeKind.Utc));
        return new InputFrame(at, signature.AsByteBuf(), decoded.Payload ?? []);
    }

    /// <summary>Decodes the inner event message and returns its JSON payload's <c>bytes</c> field, base64-decoded.</summary>
    public static byte[] DecodeEventJson(byte[] innerMessage)
    {
        EventStreamMessage decoded;
        try
        {
            decoded = EventStreamMessage.FromBuffer(innerMessage, 0, innerMessage.Length);
        }
        catch (Exception e) when (e is EventStreamChecksumFailureException or EventStreamParseException or ArgumentException or IndexOutOfRangeException)
        {
            throw new FrameDecodeException("Inner event message could not be decoded: " + e.Message);
        }

        if (!decoded.Headers.TryGetValue(":message-type", out var messageType) || messageType.AsString() != "event"
            || !decoded.Headers.TryGetValue(":event-type", out var eventType) || eventType.AsString() != "chunk")
        {
            throw new FrameDecodeException("Inner event message must be :message-type event, :event-type chunk.");
        }

        return ChunkPayload.DecodeBytes(decoded.Payload ?? []);
    }

    private static int ReadTotalLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prelude = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prelude);
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        return total > int.MaxValue ? int.MaxValue : (int)total;
    }
}
