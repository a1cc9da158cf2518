using System.Text;
using System.Text.Json;
using Amazon.Runtime.EventStreams;

namespace Bridge.Emulator.Wire;

/// <summary>The unsigned messages Bedrock sends back: event chunks and exceptions.</summary>
public static class OutputFrames
{
    private static ReadOnlySpan<byte> EventTypeName => ":event-type"u8;
    private static ReadOnlySpan<byte> ContentTypeName => ":content-type"u8;
    private static ReadOnlySpan<byte> MessageTypeName => ":message-type"u8;
    private static ReadOnlySpan<byte> ChunkValue => "chunk"u8;
    private static ReadOnlySpan<byte> JsonValue => "application/json"u8;
    private static ReadOnlySpan<byte> EventValue => "event"u8;

    private static int ChunkHeadersLength =>
        EventStreamFrame.StringHeaderLength(EventTypeName, ChunkValue) +
        EventStreamFrame.StringHeaderLength(ContentTypeName, JsonValue) +
        EventStreamFrame.StringHeaderLength(MessageTypeName, EventValue);

    /// <summary>
    /// An event chunk: <c>:event-type</c> chunk, <c>:content-type</c> application/json, <c>:message-type</c> event (the
    /// order AWSSDK.Core writes them in), the payload <c>{"bytes":"base64"}</c>; written straight into one array.
    /// </summary>
    public static byte[] Chunk(ReadOnlySpan<byte> eventJson)
    {
        var headersLength = ChunkHeadersLength;
        var payloadLength = ChunkPayload.EncodedLength(eventJson.Length);
        var frame = new byte[EventStreamFrame.Length(headersLength, payloadLength)];
        var headers = frame.AsSpan(EventStreamFrame.PreludeLength, headersLength);
        var at = EventStreamFrame.WriteStringHeader(EventTypeName, ChunkValue, headers);
        at += EventStreamFrame.WriteStringHeader(ContentTypeName, JsonValue, headers[at..]);
        EventStreamFrame.WriteStringHeader(MessageTypeName, EventValue, headers[at..]);
        ChunkPayload.Encode(eventJson, frame.AsSpan(EventStreamFrame.PreludeLength + headersLength));
        EventStreamFrame.Finish(frame, headersLength);
        return frame;
    }

    public static byte[] Exception(string exceptionType, string message) => new EventStreamMessage(
        [Header(":exception-type", exceptionType), Header(":content-type", "application/json"), Header(":message-type", "exception")],
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new ExceptionBody(message), WireJsonContext.Default.ExceptionBody))).ToByteArray();

    /// <summary>A copy of <paramref name="frame"/> whose message CRC no longer matches (the payload is intact).</summary>
    public static byte[] WithCorruptCrc(byte[] frame)
    {
        var copy = (byte[])frame.Clone();
        copy[^1] ^= 0xFF;
        return copy;
    }

    private static EventStreamHeader Header(string name, string value)
    {
        var header = new EventStreamHeader(name);
        header.SetString(value);
        return header;
    }
}
