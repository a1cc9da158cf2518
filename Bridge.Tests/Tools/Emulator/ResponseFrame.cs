using System.Text;
using System.Text.Json;
using Amazon.Runtime.EventStreams;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>One response frame as a client sees it: an event (its Nova event name and JSON) or an exception.</summary>
internal sealed record ResponseFrame(string MessageType, string? ExceptionType, string Json)
{
    public bool IsException => MessageType == "exception";

    /// <summary>For events: the Nova event's name (completionStart, contentStart, ...).</summary>
    public string? EventName => IsException ? null : Body().Name;

    public JsonElement Event => Body().Value;

    public string? Message => IsException ? JsonDocument.Parse(Json).RootElement.GetProperty("message").GetString() : null;

    public string? Str(string name) => Event.TryGetProperty(name, out var value) ? value.GetString() : null;

    public static ResponseFrame Decode(byte[] message)
    {
        var decoded = EventStreamMessage.FromBuffer(message, 0, message.Length);
        var messageType = decoded.Headers[":message-type"].AsString();
        if (messageType == "exception")
        {
            return new ResponseFrame(messageType, decoded.Headers[":exception-type"].AsString(), Encoding.UTF8.GetString(decoded.Payload));
        }

        Assert.Equal("chunk", decoded.Headers[":event-type"].AsString());
        var bytes = JsonDocument.Parse(decoded.Payload).RootElement.GetProperty("bytes").GetBytesFromBase64();
        return new ResponseFrame(messageType, null, Encoding.UTF8.GetString(bytes));
    }

    public override string ToString() => IsException ? $"{ExceptionType}: {Json}" : Json.Length > 200 ? Json[..200] : Json;

    private JsonProperty Body() => JsonDocument.Parse(Json).RootElement.GetProperty("event").EnumerateObject().First();
}
