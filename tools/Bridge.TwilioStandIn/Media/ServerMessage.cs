using System.Text.Json;
using Bridge.TwilioStandIn.Twilio;

namespace Bridge.TwilioStandIn.Media;

public enum ServerMessageKind
{
    Media,
    Mark,
    Clear,

    /// <summary>Twilio ignores the message and reports <see cref="ServerMessage.WarningCode"/> (31950 or 31951).</summary>
    Invalid,
}

/// <summary>
/// A frame the server sent on a bidirectional stream, checked as Twilio checks it: only <c>media</c>,
/// <c>mark</c> and <c>clear</c>, each with its required fields and the stream's own <c>streamSid</c>.
/// <see cref="Note"/> reports fields Twilio does not document, which it may reject (31951) too.
/// </summary>
public readonly record struct ServerMessage(ServerMessageKind Kind, byte[]? Payload, string? MarkName, int WarningCode, string? Problem, string? Note)
{
    private static readonly HashSet<string> TopLevelFields = ["event", "streamSid", "media", "mark"];

    public static ServerMessage Binary(int length) =>
        Invalid(TwilioErrorCodes.MalformedMessage, $"a binary frame of {length} bytes (Twilio accepts only JSON text frames)");

    public static ServerMessage Parse(ReadOnlyMemory<byte> utf8, string streamSid) =>
        TryParsePlain(utf8.Span, streamSid) ?? ParseDocument(utf8, streamSid);

    /// <summary>
    /// The shapes a bridge sends 75 times a second per call — <c>{"event":"media","streamSid":…,"media":{"payload":…}}</c>,
    /// the same for <c>mark</c> with <c>name</c>, and <c>clear</c> — in that order, nothing escaped, read without a
    /// document; null for anything else, which <see cref="ParseDocument"/> then judges (so both give the same answer).
    /// </summary>
    private static ServerMessage? TryParsePlain(ReadOnlySpan<byte> utf8, string streamSid)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!Next(ref reader, JsonTokenType.StartObject) || !NextName(ref reader, "event"u8) || !Next(ref reader, JsonTokenType.String) || reader.ValueIsEscaped)
            {
                return null;
            }
            var kind = reader.ValueTextEquals("media"u8) ? ServerMessageKind.Media
                : reader.ValueTextEquals("mark"u8) ? ServerMessageKind.Mark
                : reader.ValueTextEquals("clear"u8) ? ServerMessageKind.Clear
                : (ServerMessageKind?)null;
            if (kind is not { } messageKind || !NextName(ref reader, "streamSid"u8) || !Next(ref reader, JsonTokenType.String) ||
                reader.ValueIsEscaped || !reader.ValueTextEquals(streamSid))
            {
                return null;
            }

            byte[]? payload = null;
            string? markName = null;
            if (messageKind == ServerMessageKind.Media)
            {
                if (!NextName(ref reader, "media"u8) || !Next(ref reader, JsonTokenType.StartObject) || !NextName(ref reader, "payload"u8) ||
                    !Next(ref reader, JsonTokenType.String) || reader.ValueIsEscaped || (payload = Base64Value(reader.ValueSpan)) is null ||
                    !Next(ref reader, JsonTokenType.EndObject))
                {
                    return null;
                }
            }
            else if (messageKind == ServerMessageKind.Mark)
            {
                if (!NextName(ref reader, "mark"u8) || !Next(ref reader, JsonTokenType.StartObject) || !NextName(ref reader, "name"u8) ||
                    !Next(ref reader, JsonTokenType.String) || reader.ValueIsEscaped)
                {
                    return null;
                }
                markName = reader.GetString();
                if (!Next(ref reader, JsonTokenType.EndObject))
                {
                    return null;
                }
            }
            return Next(ref reader, JsonTokenType.EndObject) && !reader.Read()
                ? new ServerMessage(messageKind, payload, markName, 0, null, null)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Next(ref Utf8JsonReader reader, JsonTokenType token) => reader.Read() && reader.TokenType == token;

    private static bool NextName(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        Next(ref reader, JsonTokenType.PropertyName) && !reader.ValueIsEscaped && reader.ValueTextEquals(name);

    private static byte[]? Base64Value(ReadOnlySpan<byte> base64)
    {
        // The exact length when the base64 is whole (it always is): one array per message, no trimming copy.
        var padding = base64.Length % 4 != 0 || base64.IsEmpty ? 0 : base64[^1] != '=' ? 0 : base64[^2] == '=' ? 2 : 1;
        var length = base64.Length % 4 == 0 ? base64.Length / 4 * 3 - padding : System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(base64.Length);
        var bytes = new byte[length];
        if (System.Buffers.Text.Base64.DecodeFromUtf8(base64, bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }
        return written == bytes.Length ? bytes : bytes[..written];
    }

    private static ServerMessage ParseDocument(ReadOnlyMemory<byte> utf8, string streamSid)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8); // the whole frame must be one JSON value
        }
        catch (JsonException e)
        {
            return Invalid(TwilioErrorCodes.InvalidMessage, $"not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid(TwilioErrorCodes.InvalidMessage, "not a JSON object");
            }
            if (!TryString(root, "event", out var eventName))
            {
                return Invalid(TwilioErrorCodes.InvalidMessage, "no \"event\" string");
            }
            if (eventName is not ("media" or "mark" or "clear"))
            {
                return Invalid(TwilioErrorCodes.InvalidMessage, $"event \"{eventName}\" (a server may send only media, mark and clear)");
            }
            if (!TryString(root, "streamSid", out var sid))
            {
                return Invalid(TwilioErrorCodes.InvalidMessage, $"{eventName} without a \"streamSid\"");
            }
            if (sid != streamSid)
            {
                return Invalid(TwilioErrorCodes.InvalidMessage, $"{eventName} for streamSid {sid}, not this stream's {streamSid}");
            }

            var note = UnexpectedFields(root, eventName);
            return eventName switch
            {
                "media" => ParseMedia(root, note),
                "mark" => ParseMark(root, note),
                _ => new ServerMessage(ServerMessageKind.Clear, null, null, 0, null, note),
            };
        }
    }

    private static ServerMessage ParseMedia(JsonElement root, string? note)
    {
        if (!root.TryGetProperty("media", out var media) || media.ValueKind != JsonValueKind.Object ||
            !TryString(media, "payload", out var payload))
        {
            return Invalid(TwilioErrorCodes.InvalidMessage, "media without a \"media.payload\" string");
        }

        byte[] audio;
        try
        {
            audio = Convert.FromBase64String(payload);
        }
        catch (FormatException)
        {
            return Invalid(TwilioErrorCodes.InvalidMessage, "media.payload is not base64");
        }

        foreach (var field in media.EnumerateObject())
        {
            if (field.Name != "payload")
            {
                note = Join(note, $"media.{field.Name} is not a field Twilio documents for outbound media");
            }
        }
        return new ServerMessage(ServerMessageKind.Media, audio, null, 0, null, note);
    }

    private static ServerMessage ParseMark(JsonElement root, string? note)
    {
        if (!root.TryGetProperty("mark", out var mark) || mark.ValueKind != JsonValueKind.Object ||
            !TryString(mark, "name", out var name))
        {
            return Invalid(TwilioErrorCodes.InvalidMessage, "mark without a \"mark.name\" string");
        }
        return new ServerMessage(ServerMessageKind.Mark, null, name, 0, null, note);
    }

    private static string? UnexpectedFields(JsonElement root, string eventName)
    {
        string? note = null;
        foreach (var field in root.EnumerateObject())
        {
            var expected = TopLevelFields.Contains(field.Name) && (field.Name is "event" or "streamSid" || field.Name == eventName);
            if (!expected)
            {
                note = Join(note, $"\"{field.Name}\" is not a field Twilio documents for {eventName}");
            }
        }
        return note;
    }

    private static bool TryString(JsonElement element, string name, out string value)
    {
        if (element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String)
        {
            value = property.GetString()!;
            return true;
        }
        value = "";
        return false;
    }

    private static string Join(string? note, string more) => note is null ? more : note + "; " + more;

    private static ServerMessage Invalid(int code, string problem) =>
        new(ServerMessageKind.Invalid, null, null, code, problem, null);
}
