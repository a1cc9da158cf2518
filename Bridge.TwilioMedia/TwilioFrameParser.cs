using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Bridge.TwilioMedia;

/// <summary>
/// Reads Twilio's JSON frames (50 a second per call) with <see cref="Utf8JsonReader"/>: no strings, no garbage,
/// except for the one <c>start</c> event. Checks every frame after <c>start</c> carries the stream's SID.
/// One parser per call; not thread-safe.
/// </summary>
public sealed class TwilioFrameParser
{
    private const int MaxShortString = 256;

    private byte[]? _streamSid;
    private readonly byte[] _announcedStreamSid = new byte[MaxShortString];

    // Where an escaped string is unescaped. Twilio does not escape, but "MZ\u0031" is the same JSON string as "MZ1".
    private readonly byte[] _streamSidScratch = new byte[MaxShortString];
    private readonly byte[] _trackScratch = new byte[MaxShortString];
    private readonly byte[] _markScratch = new byte[MaxShortString];
    private readonly byte[] _digitScratch = new byte[MaxShortString];
    private byte[] _payloadScratch = new byte[512];

    /// <summary>The stream's SID once <c>start</c> has been read.</summary>
    public string? StreamSid { get; private set; }

    public TwilioProtocolError Parse(ReadOnlySpan<byte> json, Span<byte> payload, out TwilioFrame frame)
    {
        frame = default;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            return ParseObject(ref reader, payload, ref frame);
        }
        catch (JsonException)
        {
            return TwilioProtocolError.InvalidJson;
        }
        catch (InvalidOperationException)
        {
            // A value of the wrong JSON type (a number where a string belongs, and so on).
            return TwilioProtocolError.InvalidJson;
        }
    }

    private TwilioProtocolError ParseObject(ref Utf8JsonReader reader, Span<byte> payload, ref TwilioFrame frame)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return TwilioProtocolError.NotAnObject;
        }

        TwilioEventKind? kind = null;
        var announcedStreamSidLength = -1;
        var hasBody = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var error = TwilioProtocolError.None;
            if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                kind = EventKindOf(ref reader);
                if (kind is null)
                {
                    return TwilioProtocolError.UnknownEvent;
                }
            }
            else if (reader.ValueTextEquals("streamSid"u8))
            {
                reader.Read();
                var streamSid = StringBytes(ref reader, _streamSidScratch);
                if (streamSid.Length > _announcedStreamSid.Length)
                {
                    return TwilioProtocolError.WrongStreamSid;
                }
                streamSid.CopyTo(_announcedStreamSid);
                announcedStreamSidLength = streamSid.Length;
            }
            else if (reader.ValueTextEquals("sequenceNumber"u8))
            {
                reader.Read();
                error = ReadNumber(ref reader, out frame.SequenceNumber);
            }
            else if (reader.ValueTextEquals("media"u8))
            {
                hasBody = true;
                error = ParseMedia(ref reader, payload, ref frame);
            }
            else if (reader.ValueTextEquals("mark"u8))
            {
                hasBody = true;
                error = ParseMark(ref reader, ref frame);
            }
            else if (reader.ValueTextEquals("dtmf"u8))
            {
                hasBody = true;
                error = ParseDtmf(ref reader, ref frame);
            }
            else if (reader.ValueTextEquals("start"u8))
            {
                hasBody = true;
                frame.Start = TwilioStartReader.Read(ref reader);
                error = frame.Start is null ? TwilioProtocolError.TooManyParameters : TwilioProtocolError.None;
            }
            else
            {
                reader.Skip();
            }

            if (error != TwilioProtocolError.None)
            {
                return error;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return TwilioProtocolError.InvalidJson;
        }

        if (kind is not { } eventKind)
        {
            return TwilioProtocolError.UnknownEvent;
        }
        frame.Event = eventKind;
        return Validate(eventKind, announcedStreamSidLength, hasBody, ref frame);
    }

    private TwilioProtocolError Validate(TwilioEventKind kind, int announcedStreamSidLength, bool hasBody, ref TwilioFrame frame)
    {
        var hasStreamSid = announcedStreamSidLength >= 0;
        var streamSid = hasStreamSid ? _announcedStreamSid.AsSpan(0, announcedStreamSidLength) : [];
        switch (kind)
        {
            case TwilioEventKind.Connected:
                return TwilioProtocolError.None;
            case TwilioEventKind.Start:
                if (frame.Start is not { } start || start.StreamSid.Length == 0 || start.CallSid.Length == 0)
                {
                    return TwilioProtocolError.MissingField;
                }
                if (!TwilioSids.Is(TwilioSids.Stream, start.StreamSid) || !TwilioSids.Is(TwilioSids.Call, start.CallSid) ||
                    !TwilioSids.Is(TwilioSids.Account, start.AccountSid))
                {
                    return TwilioProtocolError.MalformedSid;
                }
                if (hasStreamSid && !streamSid.SequenceEqual(System.Text.Encoding.UTF8.GetBytes(start.StreamSid)))
                {
                    return TwilioProtocolError.WrongStreamSid;
                }
                _streamSid = System.Text.Encoding.UTF8.GetBytes(start.StreamSid);
                StreamSid = start.StreamSid;
                return TwilioProtocolError.None;
            case TwilioEventKind.Stop:
                return CheckStreamSid(hasStreamSid, streamSid);
            default:
                if (!hasBody)
                {
                    return TwilioProtocolError.MissingField;
                }
                return CheckStreamSid(hasStreamSid, streamSid);
        }
    }

    private TwilioProtocolError CheckStreamSid(bool hasStreamSid, ReadOnlySpan<byte> streamSid)
    {
        if (!hasStreamSid)
        {
            return TwilioProtocolError.MissingField;
        }
        // Before start no stream is known; the stream's state machine refuses such frames.
        return _streamSid is null || streamSid.SequenceEqual(_streamSid)
            ? TwilioProtocolError.None
            : TwilioProtocolError.WrongStreamSid;
    }

    private static TwilioEventKind? EventKindOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return null;
        }
        if (reader.ValueTextEquals("media"u8)) return TwilioEventKind.Media;
        if (reader.ValueTextEquals("mark"u8)) return TwilioEventKind.Mark;
        if (reader.ValueTextEquals("dtmf"u8)) return TwilioEventKind.Dtmf;
        if (reader.ValueTextEquals("start"u8)) return TwilioEventKind.Start;
        if (reader.ValueTextEquals("stop"u8)) return TwilioEventKind.Stop;
        if (reader.ValueTextEquals("connected"u8)) return TwilioEventKind.Connected;
        return null;
    }

    private TwilioProtocolError ParseMedia(ref Utf8JsonReader reader, Span<byte> payload, ref TwilioFrame frame)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return TwilioProtocolError.InvalidJson;
        }
        var hasPayload = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var error = TwilioProtocolError.None;
            if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                error = DecodePayload(ref reader, payload, out frame.PayloadLength);
                hasPayload = true;
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                error = ReadNumber(ref reader, out frame.MediaTimestamp);
            }
            else if (reader.ValueTextEquals("chunk"u8))
            {
                reader.Read();
                error = ReadNumber(ref reader, out frame.MediaChunk);
            }
            else if (reader.ValueTextEquals("track"u8))
            {
                reader.Read();
                frame.IsInboundTrack = StringBytes(ref reader, _trackScratch).SequenceEqual("inbound"u8);
            }
            else
            {
                reader.Skip();
            }
            if (error != TwilioProtocolError.None)
            {
                return error;
            }
        }
        return hasPayload ? TwilioProtocolError.None : TwilioProtocolError.MissingField;
    }

    private TwilioProtocolError DecodePayload(ref Utf8JsonReader reader, Span<byte> payload, out int length)
    {
        length = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            return TwilioProtocolError.BadBase64;
        }
        if (Base64.GetMaxDecodedFromUtf8Length(reader.ValueSpan.Length) > payload.Length)
        {
            return TwilioProtocolError.PayloadTooLarge;
        }
        if (reader.ValueIsEscaped && _payloadScratch.Length < reader.ValueSpan.Length)
        {
            _payloadScratch = new byte[reader.ValueSpan.Length];
        }
        var base64 = StringBytes(ref reader, _payloadScratch);
        var status = Base64.DecodeFromUtf8(base64, payload, out _, out length);
        return status == OperationStatus.Done ? TwilioProtocolError.None : TwilioProtocolError.BadBase64;
    }

    private TwilioProtocolError ParseMark(ref Utf8JsonReader reader, ref TwilioFrame frame)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return TwilioProtocolError.InvalidJson;
        }
        var hasName = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                // A mark that is not one of ours (not our name format) is read as having no playback position.
                frame.Mark = PlaybackMark.TryParse(StringBytes(ref reader, _markScratch), out var mark) ? mark : null;
                hasName = true;
            }
            else
            {
                reader.Skip();
            }
        }
        return hasName ? TwilioProtocolError.None : TwilioProtocolError.MissingField;
    }

    private TwilioProtocolError ParseDtmf(ref Utf8JsonReader reader, ref TwilioFrame frame)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return TwilioProtocolError.InvalidJson;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("digit"u8))
            {
                reader.Read();
                var digit = StringBytes(ref reader, _digitScratch);
                if (digit.Length != 1 || !IsDtmfDigit((char)digit[0]))
                {
                    return TwilioProtocolError.MissingField;
                }
                frame.Digit = (char)digit[0];
            }
            else
            {
                reader.Skip();
            }
        }
        return frame.Digit == default ? TwilioProtocolError.MissingField : TwilioProtocolError.None;
    }

    private static bool IsDtmfDigit(char c) => char.IsAsciiDigit(c) || c is '*' or '#' or >= 'A' and <= 'D';

    /// <summary>Twilio sends numbers as strings ("sequenceNumber":"3"); a bare number is accepted too.</summary>
    private static TwilioProtocolError ReadNumber(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt64(out value) ? TwilioProtocolError.None : TwilioProtocolError.BadNumber;
        }
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return TwilioProtocolError.BadNumber;
        }
        return Utf8Parser.TryParse(reader.ValueSpan, out value, out var consumed) && consumed == reader.ValueSpan.Length
            ? TwilioProtocolError.None
            : TwilioProtocolError.BadNumber;
    }

    /// <summary>The string's UTF-8 bytes: a slice of the frame, or, when the frame escaped it, unescaped into scratch.</summary>
    private static ReadOnlySpan<byte> StringBytes(scoped ref Utf8JsonReader reader, Span<byte> scratch)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("expected a string");
        }
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }
        if (reader.ValueSpan.Length > scratch.Length)
        {
            throw new JsonException("an escaped string is longer than any Twilio value");
        }
        var length = reader.CopyString(scratch);
        return scratch[..length];
    }
}
