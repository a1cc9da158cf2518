using System.Buffers;
using System.Text.Json;

namespace Bridge.TwilioMedia;

/// <summary>
/// Writes the frames the bridge sends Twilio (<c>media</c>, <c>mark</c>, <c>clear</c>) into one reused buffer:
/// no allocation per frame. The returned memory is valid until the next write. One writer per call.
/// </summary>
public sealed class TwilioFrameWriter
{
    private static readonly JsonEncodedText EventName = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText StreamSidName = JsonEncodedText.Encode("streamSid");
    private static readonly JsonEncodedText MediaName = JsonEncodedText.Encode("media");
    private static readonly JsonEncodedText PayloadName = JsonEncodedText.Encode("payload");
    private static readonly JsonEncodedText MarkName = JsonEncodedText.Encode("mark");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText ClearName = JsonEncodedText.Encode("clear");

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText _streamSid;

    public TwilioFrameWriter(string streamSid)
    {
        _streamSid = JsonEncodedText.Encode(streamSid);
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary><c>{"event":"media","streamSid":…,"media":{"payload":"&lt;base64 µ-law&gt;"}}</c></summary>
    public ReadOnlyMemory<byte> Media(ReadOnlySpan<byte> mulaw)
    {
        Start(MediaName);
        _json.WriteStartObject(MediaName);
        _json.WriteBase64String(PayloadName, mulaw);
        _json.WriteEndObject();
        return End();
    }

    /// <summary><c>{"event":"mark","streamSid":…,"mark":{"name":"generation.sequence"}}</c></summary>
    public ReadOnlyMemory<byte> Mark(PlaybackMark mark)
    {
        Span<byte> name = stackalloc byte[PlaybackMark.MaxNameLength];
        mark.TryFormat(name, out var length);
        Start(MarkName);
        _json.WriteStartObject(MarkName);
        _json.WriteString(NameName, name[..length]);
        _json.WriteEndObject();
        return End();
    }

    /// <summary><c>{"event":"clear","streamSid":…}</c>: Twilio drops all buffered audio.</summary>
    public ReadOnlyMemory<byte> Clear()
    {
        Start(ClearName);
        return End();
    }

    private void Start(JsonEncodedText eventName)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString(EventName, eventName);
        _json.WriteString(StreamSidName, _streamSid);
    }

    private ReadOnlyMemory<byte> End()
    {
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenMemory;
    }
}
