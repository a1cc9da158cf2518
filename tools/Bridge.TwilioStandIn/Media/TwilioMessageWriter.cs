using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bridge.Audio;

namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// Writes the JSON text frames Twilio sends on a media stream, numeric fields as strings as Twilio does. One
/// instance per stream; each method returns the frame in a buffer reused by the next call.
/// </summary>
public sealed class TwilioMessageWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private readonly StreamStart _stream;

    public TwilioMessageWriter(StreamStart stream)
    {
        _stream = stream;
        // Twilio writes a caller's +1… and base64's + as they are; the default encoder would send \u002B.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public ReadOnlyMemory<byte> Connected()
    {
        Begin("connected");
        _json.WriteString("protocol", "Call");
        _json.WriteString("version", "1.0.0");
        return End();
    }

    public ReadOnlyMemory<byte> Start(long sequenceNumber)
    {
        Begin("start", sequenceNumber);
        _json.WriteStartObject("start");
        _json.WriteString("accountSid", _stream.AccountSid);
        _json.WriteString("streamSid", _stream.StreamSid);
        _json.WriteString("callSid", _stream.CallSid);
        _json.WriteStartArray("tracks");
        _json.WriteStringValue("inbound");
        _json.WriteEndArray();
        _json.WriteStartObject("customParameters");
        foreach (var (name, value) in _stream.CustomParameters)
        {
            _json.WriteString(name, value);
        }
        _json.WriteEndObject();
        _json.WriteStartObject("mediaFormat");
        _json.WriteString("encoding", "audio/x-mulaw");
        _json.WriteNumber("sampleRate", TelephoneFrame.SampleRate);
        _json.WriteNumber("channels", 1);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteString("streamSid", _stream.StreamSid);
        return End();
    }

    public ReadOnlyMemory<byte> Media(long sequenceNumber, long chunk, long timestampMs, ReadOnlySpan<byte> payload)
    {
        Begin("media", sequenceNumber);
        _json.WriteStartObject("media");
        _json.WriteString("track", "inbound");
        WriteNumberString("chunk", chunk);
        WriteNumberString("timestamp", timestampMs);
        _json.WriteBase64String("payload", payload);
        _json.WriteEndObject();
        _json.WriteString("streamSid", _stream.StreamSid);
        return End();
    }

    public ReadOnlyMemory<byte> Dtmf(long sequenceNumber, char digit)
    {
        Begin("dtmf", sequenceNumber);
        _json.WriteString("streamSid", _stream.StreamSid);
        _json.WriteStartObject("dtmf");
        _json.WriteString("track", "inbound_track");
        _json.WriteString("digit", digit.ToString());
        _json.WriteEndObject();
        return End();
    }

    public ReadOnlyMemory<byte> Mark(long sequenceNumber, string name)
    {
        Begin("mark", sequenceNumber);
        _json.WriteString("streamSid", _stream.StreamSid);
        _json.WriteStartObject("mark");
        _json.WriteString("name", name);
        _json.WriteEndObject();
        return End();
    }

    public ReadOnlyMemory<byte> Stop(long sequenceNumber)
    {
        Begin("stop", sequenceNumber);
        _json.WriteString("streamSid", _stream.StreamSid);
        _json.WriteStartObject("stop");
        _json.WriteString("accountSid", _stream.AccountSid);
        _json.WriteString("callSid", _stream.CallSid);
        _json.WriteEndObject();
        return End();
    }

    private void Begin(string eventName, long? sequenceNumber = null)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("event", eventName);
        if (sequenceNumber is { } number)
        {
            WriteNumberString("sequenceNumber", number);
        }
    }

    private ReadOnlyMemory<byte> End()
    {
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenMemory;
    }

    private void WriteNumberString(string name, long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        _json.WriteString(name, digits[..written]);
    }
}
