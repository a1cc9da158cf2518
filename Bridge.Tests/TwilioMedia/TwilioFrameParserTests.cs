using System.Text;
using Bridge.Tests.Support;
using Bridge.TwilioMedia;

namespace Bridge.Tests.TwilioMedia;

public sealed class TwilioFrameParserTests
{
    private const string StreamSid = "MZ0123456789abcdef0123456789abcdef";

    private static readonly string StartFrame = $$$"""
        {"event":"start","sequenceNumber":"1","start":{"accountSid":"AC0123456789abcdef0123456789abcdef","streamSid":"{{{StreamSid}}}","callSid":"CAfeedfacefeedfacefeedfacefeedface","tracks":["inbound"],"customParameters":{"callSid":"CAfeedfacefeedfacefeedfacefeedface","token":"v1.1.x"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"{{{StreamSid}}}"}
        """;

    private readonly TwilioFrameParser _parser = new();
    private readonly byte[] _payload = new byte[400];

    private TwilioProtocolError Parse(string json, out TwilioFrame frame) =>
        _parser.Parse(Encoding.UTF8.GetBytes(json), _payload, out frame);

    private void Started() => Assert.Equal(TwilioProtocolError.None, Parse(StartFrame, out _));

    [Fact]
    public void Connected_is_read_whatever_its_version()
    {
        Assert.Equal(TwilioProtocolError.None, Parse("""{"event":"connected","protocol":"Call","version":"0.2.0"}""", out var frame));
        Assert.Equal(TwilioEventKind.Connected, frame.Event);
    }

    [Fact]
    public void Start_gives_the_stream_call_parameters_and_format()
    {
        Assert.Equal(TwilioProtocolError.None, Parse(StartFrame, out var frame));

        var start = frame.Start!;
        Assert.Equal(StreamSid, start.StreamSid);
        Assert.Equal("CAfeedfacefeedfacefeedfacefeedface", start.CallSid);
        Assert.Equal("v1.1.x", start.CustomParameters["token"]);
        Assert.Equal(("audio/x-mulaw", 8000, 1), (start.Encoding, start.SampleRate, start.Channels));
        Assert.Equal(["inbound"], start.Tracks);
        Assert.Equal(StreamSid, _parser.StreamSid);
    }

    [Theory]
    [InlineData("accountSid", "AC0123456789abcdef0123456789abcdef", "ACx")]
    [InlineData("callSid", "CAfeedfacefeedfacefeedfacefeedface", "CAfeedfacefeedfacefeedfacefeedfac/")]
    [InlineData("callSid", "CAfeedfacefeedfacefeedfacefeedface", "MZfeedfacefeedfacefeedfacefeedface")]
    [InlineData("accountSid", "AC0123456789abcdef0123456789abcdef", "AC0123456789abcdef0123456789abcdef?x=")]
    public void A_start_whose_sids_are_not_in_twilio_s_form_is_refused_before_any_is_used(string field, string good, string bad)
    {
        var json = StartFrame.Replace($"\"{field}\":\"{good}\"", $"\"{field}\":\"{bad}\"", StringComparison.Ordinal);
        Assert.NotEqual(StartFrame, json);

        Assert.Equal(TwilioProtocolError.MalformedSid, Parse(json, out _));
        Assert.Null(_parser.StreamSid);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, TwilioProtocolError.MalformedSid.CloseStatus());
    }

    [Theory]
    [InlineData(30, TwilioProtocolError.None)]
    [InlineData(31, TwilioProtocolError.TooManyParameters)]
    public void A_start_with_more_custom_parameters_than_any_call_carries_is_refused_with_that_reason(int added, TwilioProtocolError expected)
    {
        // The frame carries two already (callSid and token): 32 in all are read, 33 are refused.
        var many = string.Join(",", Enumerable.Range(0, added).Select(i => $"\"p{i}\":\"v{i}\""));
        var json = StartFrame.Replace("\"token\":\"v1.1.x\"}", $"\"token\":\"v1.1.x\",{many}}}", StringComparison.Ordinal);
        Assert.NotEqual(StartFrame, json);

        Assert.Equal(expected, Parse(json, out _));
        Assert.Equal(expected == TwilioProtocolError.None, _parser.StreamSid is not null);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, TwilioProtocolError.TooManyParameters.CloseStatus());
        Assert.Equal("start carries more than 32 custom parameters", TwilioProtocolError.TooManyParameters.Describe());
    }

    [Fact]
    public void Media_audio_is_decoded_into_the_callers_buffer_with_its_timing()
    {
        Started();
        var audio = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray();

        var error = Parse($$$"""{"event":"media","sequenceNumber":"3","streamSid":"{{{StreamSid}}}","media":{"track":"inbound","chunk":"2","timestamp":"5","payload":"{{{Convert.ToBase64String(audio)}}}"}}""", out var frame);

        Assert.Equal(TwilioProtocolError.None, error);
        Assert.Equal(TwilioEventKind.Media, frame.Event);
        Assert.Equal((3L, 2L, 5L, true), (frame.SequenceNumber, frame.MediaChunk, frame.MediaTimestamp, frame.IsInboundTrack));
        Assert.Equal(audio, _payload[..frame.PayloadLength]);
    }

    [Fact]
    public void Fields_may_come_in_any_order_and_strings_may_be_escaped()
    {
        Started();
        var error = Parse($$$"""{"media":{"payload":"\/w==","timestamp":"40"},"streamSid":"MZ0123456789abcdef0123456789abcde\u0066","event":"media"}""", out var frame);

        Assert.Equal(TwilioProtocolError.None, error);
        Assert.Equal([0xFF], _payload[..frame.PayloadLength]);
        Assert.Equal(40, frame.MediaTimestamp);
    }

    [Fact]
    public void A_mark_echo_of_ours_is_read_as_its_playback_position()
    {
        Started();
        Assert.Equal(TwilioProtocolError.None, Parse($$$"""{"event":"mark","streamSid":"{{{StreamSid}}}","sequenceNumber":"9","mark":{"name":"3.17"}}""", out var frame));

        Assert.Equal(new PlaybackMark(3, 17), frame.Mark);
    }

    [Fact]
    public void A_mark_that_is_not_ours_has_no_playback_position()
    {
        Started();
        Assert.Equal(TwilioProtocolError.None, Parse($$$"""{"event":"mark","streamSid":"{{{StreamSid}}}","mark":{"name":"greeting"}}""", out var frame));

        Assert.Null(frame.Mark);
    }

    [Theory]
    [InlineData("5", '5')]
    [InlineData("#", '#')]
    [InlineData("*", '*')]
    public void Dtmf_gives_the_digit(string digit, char expected)
    {
        Started();
        Assert.Equal(TwilioProtocolError.None, Parse($$$"""{"event":"dtmf","streamSid":"{{{StreamSid}}}","sequenceNumber":"5","dtmf":{"track":"inbound_track","digit":"{{{digit}}}"}}""", out var frame));

        Assert.Equal(expected, frame.Digit);
    }

    [Theory]
    [InlineData("""{"event":"media",""", TwilioProtocolError.InvalidJson)]
    [InlineData("""[1,2]""", TwilioProtocolError.NotAnObject)]
    [InlineData("""{"event":"media"} {}""", TwilioProtocolError.InvalidJson)]
    [InlineData("""{"event":"dance","streamSid":"MZ0123456789abcdef0123456789abcdef"}""", TwilioProtocolError.UnknownEvent)]
    [InlineData("""{"streamSid":"MZ0123456789abcdef0123456789abcdef"}""", TwilioProtocolError.UnknownEvent)]
    [InlineData("""{"event":7}""", TwilioProtocolError.UnknownEvent)]
    [InlineData("""{"event":"media","streamSid":"MZ0123456789abcdef0123456789abcdef"}""", TwilioProtocolError.MissingField)]
    [InlineData("""{"event":"media","media":{"payload":"AAAA"}}""", TwilioProtocolError.MissingField)]
    [InlineData("""{"event":"media","streamSid":"MZ0000000000000000000000000000000","media":{"payload":"AAAA"}}""", TwilioProtocolError.WrongStreamSid)]
    [InlineData("""{"event":"media","streamSid":"MZ0123456789abcdef0123456789abcdef","media":{"payload":"not base64!"}}""", TwilioProtocolError.BadBase64)]
    [InlineData("""{"event":"media","streamSid":"MZ0123456789abcdef0123456789abcdef","media":{"payload":12}}""", TwilioProtocolError.BadBase64)]
    [InlineData("""{"event":"media","streamSid":"MZ0123456789abcdef0123456789abcdef","media":{"timestamp":"soon","payload":"AAAA"}}""", TwilioProtocolError.BadNumber)]
    [InlineData("""{"event":"mark","streamSid":"MZ0123456789abcdef0123456789abcdef","mark":{}}""", TwilioProtocolError.MissingField)]
    [InlineData("""{"event":"dtmf","streamSid":"MZ0123456789abcdef0123456789abcdef","dtmf":{"digit":"55"}}""", TwilioProtocolError.MissingField)]
    [InlineData("""{"event":"start","start":{"streamSid":"MZ1"}}""", TwilioProtocolError.MissingField)]
    public void Malformed_frames_are_named_for_what_is_wrong(string json, TwilioProtocolError expected)
    {
        Started();

        Assert.Equal(expected, Parse(json, out _));
    }

    [Fact]
    public void A_payload_larger_than_the_buffer_is_refused_before_decoding()
    {
        Started();
        var huge = Convert.ToBase64String(new byte[1000]);

        Assert.Equal(TwilioProtocolError.PayloadTooLarge, Parse($$$"""{"event":"media","streamSid":"{{{StreamSid}}}","media":{"payload":"{{{huge}}}"}}""", out _));
    }

    [Fact]
    public void Invalid_UTF8_is_invalid_json()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"event":"connected","protocol":"X"}""");
        bytes[^4] = 0xC3; // a lead byte with no continuation

        Assert.Equal(TwilioProtocolError.InvalidJson, _parser.Parse(bytes, _payload, out _));
    }

    [Fact]
    public void Reading_a_media_frame_allocates_nothing()
    {
        Started();
        var json = Encoding.UTF8.GetBytes($$$"""{"event":"media","sequenceNumber":"3","streamSid":"{{{StreamSid}}}","media":{"track":"inbound","chunk":"2","timestamp":"5","payload":"{{{Convert.ToBase64String(new byte[160])}}}"}}""");
        _parser.Parse(json, _payload, out _);

        Assert.Equal(0, Allocations.FewestPerRound(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                _parser.Parse(json, _payload, out _);
            }
        }));
    }
}
