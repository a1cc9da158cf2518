using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Bridge.TwilioStandIn.Media;

namespace Bridge.Tests.Reliability;

public enum MalformedKind
{
    BadJson,
    NotAnObject,
    BinaryFrame,
    OversizedFrame,
    WrongStreamSid,
    MediaBeforeStart,
    BadBase64,
    UnknownEvent,
    TruncatedUtf8,
    MissingField,
    PayloadTooLarge,
    BadNumber,
    SecondStart,
    ForgedStreamToken,
    ExpiredStreamToken,
    UnsupportedMediaFormat,
    BadSignature,
    NoStart,
}

/// <summary>
/// One malformed input and where it comes: before <c>start</c> (<see cref="MediaBefore"/> is -1), in place of a
/// good start, or after a good start and some good media frames. <see cref="Expected"/> is the close status the
/// worker must answer with (null: the upgrade itself must be refused with 403).
/// </summary>
public sealed record MalformedInput(MalformedKind Kind, int MediaBefore, WebSocketMessageType Type, Func<StreamStart, byte[]> Message, WebSocketCloseStatus? Expected)
{
    /// <summary>The malformed message replaces start (it is a start with something wrong).</summary>
    public bool IsStart => Kind is MalformedKind.ForgedStreamToken or MalformedKind.ExpiredStreamToken or MalformedKind.UnsupportedMediaFormat;

    public bool ComesBeforeStart => MediaBefore < 0;

    /// <summary>
    /// .NET's WebSocket checks UTF-8 itself: it sends 1007 without a reason and aborts the connection, which can
    /// overtake the close frame. The worker still logs why; the caller sees 1007 or a dropped connection.
    /// </summary>
    public bool RefusedByTheWebSocket => Kind == MalformedKind.TruncatedUtf8;

    public bool IsAnsweredBy(MalformedOutcome outcome) =>
        RefusedByTheWebSocket ? outcome.CloseStatus == Expected || outcome.Dropped :
        Expected is { } status ? outcome.CloseStatus == status && !string.IsNullOrWhiteSpace(outcome.CloseReason) :
        outcome.RefusedWith == System.Net.HttpStatusCode.Forbidden;

    public override string ToString() => $"{Kind} ({(IsStart ? "as start" : ComesBeforeStart ? "before start" : $"after start and {MediaBefore} media")})";
}

/// <summary>Malformed inputs drawn from a seeded generator: the same seed gives the same inputs.</summary>
public static class MalformedInputs
{
    private const int MaxMessageBytes = 16384;
    private static readonly string[] KnownEvents = ["connected", "start", "media", "mark", "dtmf", "stop"];

    public static IEnumerable<MalformedInput> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var kinds = Enum.GetValues<MalformedKind>();
        for (var i = 0; i < count; i++)
        {
            // NoStart waits for the start timeout: rare, so that it costs little wall time.
            var kind = random.Next(100) == 0 ? MalformedKind.NoStart : kinds[random.Next(kinds.Length - 1)];
            yield return Create(kind, random);
        }
    }

    private static MalformedInput Create(MalformedKind kind, Random random)
    {
        // Half of what may come anywhere comes before start (cheap: no model stream opens for it).
        var anywhere = random.Next(2) == 0 ? -1 : random.Next(4);
        var afterStart = random.Next(4);
        var seed = random.Next();
        Random R() => new(seed);
        return kind switch
        {
            MalformedKind.BadJson => Text(kind, anywhere, s => Truncate(Media(s, 1), R()), WebSocketCloseStatus.InvalidPayloadData),
            MalformedKind.NotAnObject => Text(kind, anywhere, _ => Pick(R(), "[]", "42", "\"media\"", "null", "true", """[{"event":"media"}]"""), WebSocketCloseStatus.InvalidPayloadData),
            MalformedKind.BinaryFrame => new(kind, anywhere, WebSocketMessageType.Binary, _ => RandomBytes(R(), 1, 4096), WebSocketCloseStatus.InvalidMessageType),
            MalformedKind.OversizedFrame => Text(kind, anywhere, s => Media(s, 1, Convert.ToBase64String(RandomBytes(R(), MaxMessageBytes, 3 * MaxMessageBytes / 2))), WebSocketCloseStatus.MessageTooBig),
            MalformedKind.WrongStreamSid => Text(kind, afterStart, s => Media(s with { StreamSid = "MZ" + Convert.ToHexStringLower(RandomBytes(R(), 16, 16)) }, 1), WebSocketCloseStatus.PolicyViolation),
            MalformedKind.MediaBeforeStart => Text(kind, -1, s => BeforeStartEvent(s, R()), WebSocketCloseStatus.ProtocolError),
            MalformedKind.BadBase64 => Text(kind, afterStart, s => Media(s, 1, BadBase64(R())), WebSocketCloseStatus.InvalidPayloadData),
            MalformedKind.UnknownEvent => Text(kind, anywhere, s => $$"""{"event":"{{UnknownEvent(R())}}","streamSid":"{{s.StreamSid}}"}""", WebSocketCloseStatus.ProtocolError),
            MalformedKind.TruncatedUtf8 => new(kind, anywhere, WebSocketMessageType.Text, s => TruncatedUtf8(s, R()), WebSocketCloseStatus.InvalidPayloadData),
            MalformedKind.MissingField => Text(kind, afterStart, s => Pick(R(), $$"""{"event":"media","streamSid":"{{s.StreamSid}}"}""", $$"""{"event":"mark","streamSid":"{{s.StreamSid}}"}""", """{"event":"stop"}"""), WebSocketCloseStatus.ProtocolError),
            MalformedKind.PayloadTooLarge => Text(kind, afterStart, s => Media(s, 1, Convert.ToBase64String(RandomBytes(R(), 1024, 11000))), WebSocketCloseStatus.MessageTooBig),
            MalformedKind.BadNumber => Text(kind, afterStart, s => Media(s, 1).Replace("\"sequenceNumber\":\"", "\"sequenceNumber\":\"x", StringComparison.Ordinal), WebSocketCloseStatus.InvalidPayloadData),
            MalformedKind.SecondStart => Text(kind, afterStart, s => Pick(R(), Start(s), """{"event":"connected","protocol":"Call","version":"1.0.0"}"""), WebSocketCloseStatus.ProtocolError),
            MalformedKind.ForgedStreamToken => Text(kind, 0, s => Start(s with { CustomParameters = [.. s.CustomParameters.Select(p => p.Key == "from" ? new(p.Key, "+1999" + R().Next(1_000_000, 9_999_999)) : p)] }), WebSocketCloseStatus.PolicyViolation),
            MalformedKind.ExpiredStreamToken => Text(kind, 0, s => Start(s), WebSocketCloseStatus.PolicyViolation),
            MalformedKind.UnsupportedMediaFormat => Text(kind, 0, s => Start(s, Pick(R(), "\"audio/x-l16\",\"sampleRate\":8000", "\"audio/x-mulaw\",\"sampleRate\":16000")), WebSocketCloseStatus.InvalidPayloadData),
            MalformedKind.BadSignature => Text(kind, -1, _ => "", null),
            MalformedKind.NoStart => Text(kind, -1, _ => "", WebSocketCloseStatus.PolicyViolation),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    public static string Connected => """{"event":"connected","protocol":"Call","version":"1.0.0"}""";

    public static string Start(StreamStart s, string format = "\"audio/x-mulaw\",\"sampleRate\":8000")
    {
        var parameters = string.Join(',', s.CustomParameters.Select(p => $"\"{p.Key}\":\"{p.Value}\""));
        return "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"" + s.StreamSid + "\",\"start\":{\"accountSid\":\"" + s.AccountSid +
            "\",\"streamSid\":\"" + s.StreamSid + "\",\"callSid\":\"" + s.CallSid + "\",\"tracks\":[\"inbound\"],\"customParameters\":{" + parameters +
            "},\"mediaFormat\":{\"encoding\":" + format + ",\"channels\":1}}}";
    }

    public static string Media(StreamStart s, int sequence, string? payload = null)
    {
        var n = sequence.ToString(CultureInfo.InvariantCulture);
        var timestamp = (sequence * 20).ToString(CultureInfo.InvariantCulture);
        return "{\"event\":\"media\",\"sequenceNumber\":\"" + n + "\",\"streamSid\":\"" + s.StreamSid + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + n +
            "\",\"timestamp\":\"" + timestamp + "\",\"payload\":\"" + (payload ?? SilencePayload) + "\"}}";
    }

    private static readonly string SilencePayload = Convert.ToBase64String(Enumerable.Repeat((byte)0xFF, 160).ToArray());

    private static MalformedInput Text(MalformedKind kind, int mediaBefore, Func<StreamStart, string> text, WebSocketCloseStatus? expected) =>
        new(kind, mediaBefore, WebSocketMessageType.Text, s => Encoding.UTF8.GetBytes(text(s)), expected);

    /// <summary>A strict prefix of a JSON object is never valid JSON.</summary>
    private static string Truncate(string json, Random random) => json[..random.Next(1, json.Length - 1)];

    private static string BeforeStartEvent(StreamStart s, Random random)
    {
        var sid = "\"streamSid\":\"" + s.StreamSid + "\"";
        return Pick(random,
            Media(s, 1),
            "{\"event\":\"mark\"," + sid + ",\"mark\":{\"name\":\"m1\"}}",
            "{\"event\":\"dtmf\"," + sid + ",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"5\"}}",
            "{\"event\":\"stop\"," + sid + ",\"stop\":{\"accountSid\":\"" + s.AccountSid + "\",\"callSid\":\"" + s.CallSid + "\"}}");
    }

    private static string UnknownEvent(Random random)
    {
        string name;
        do
        {
            name = new string(Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
        }
        while (KnownEvents.Contains(name));
        return name;
    }

    private static string BadBase64(Random random)
    {
        const string outside = "%*!?#~ -_.";
        var text = Convert.ToBase64String(RandomBytes(random, 3, 160)).ToCharArray();
        text[random.Next(text.Length)] = outside[random.Next(outside.Length)];
        return new string(text);
    }

    private static byte[] TruncatedUtf8(StreamStart s, Random random)
    {
        byte[][] leads = [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xE2]];
        var prefix = Encoding.UTF8.GetBytes($$"""{"event":"media","streamSid":"{{s.StreamSid}}","media":{"payload":"caf""");
        return [.. prefix[..random.Next(1, prefix.Length)], .. leads[random.Next(leads.Length)]];
    }

    private static byte[] RandomBytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];
}
