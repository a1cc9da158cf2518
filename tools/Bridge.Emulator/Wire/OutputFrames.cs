using System.Text;
using System.Text.Json;
using Amazon.Runtime.EventStreams;

namespace Bridge.Emulator.Wire;

/// <summary>The unsigned messages Bedrock sends back: event chunks and exceptions.</summary>
public static class OutputFrames
{
    public static byte[] Chunk(ReadOnlySpan<byte> eventJson) => new EventStreamMessage(
        [Header(":event-type", "chunk"), Header(":content-type", "application/json"), Header(":message-type", "event")],
        ChunkPayload.Encode(eventJson)).ToByteArray();

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
