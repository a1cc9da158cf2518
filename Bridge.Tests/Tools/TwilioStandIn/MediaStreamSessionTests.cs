using System.Net.WebSockets;
using System.Text.Json;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>The media stream as Twilio runs it, on a controlled clock: start, pacing, dtmf, stop, errors, impairments.</summary>
public sealed class MediaStreamSessionTests : MediaStreamSessionRig
{
    [Fact]
    public async Task Connected_then_start_describe_the_stream_as_twilio_does()
    {
        await StartAsync(new MediaStreamOptions());
        await _server.WaitUntilAsync(s => s.Received.Count >= 2, "connected and start");

        var connected = _server.Received[0];
        Assert.Equal("connected", connected.GetProperty("event").GetString());
        Assert.Equal("Call", connected.GetProperty("protocol").GetString());
        Assert.Equal("1.0.0", connected.GetProperty("version").GetString());
        Assert.False(connected.TryGetProperty("streamSid", out _));

        var start = _server.Received[1];
        Assert.Equal("start", start.GetProperty("event").GetString());
        Assert.Equal("1", start.GetProperty("sequenceNumber").GetString());
        Assert.Equal(_start.StreamSid, start.GetProperty("streamSid").GetString());
        var body = start.GetProperty("start");
        Assert.Equal(_start.AccountSid, body.GetProperty("accountSid").GetString());
        Assert.Equal(_start.StreamSid, body.GetProperty("streamSid").GetString());
        Assert.Equal(_start.CallSid, body.GetProperty("callSid").GetString());
        Assert.Equal(["inbound"], body.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("v1.123.abc", body.GetProperty("customParameters").GetProperty("token").GetString());
        Assert.Equal("+14155550100", body.GetProperty("customParameters").GetProperty("from").GetString());
        var format = body.GetProperty("mediaFormat");
        Assert.Equal("audio/x-mulaw", format.GetProperty("encoding").GetString());
        Assert.Equal(8000, format.GetProperty("sampleRate").GetInt32());
        Assert.Equal(1, format.GetProperty("channels").GetInt32());

        await EndAsync();
    }

    [Fact]
    public async Task A_media_frame_of_160_bytes_is_sent_every_20_ms_of_stream_time()
    {
        var audio = Enumerable.Range(0, 1600).Select(i => (byte)(i % 200)).ToArray();
        await StartAsync(new MediaStreamOptions { Audio = CallerAudio.FromMuLaw(audio) });

        _time.Advance(Frame - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Empty(_server.Events("media"));

        await AdvanceAsync(Frame * 5 - (Frame - TimeSpan.FromMilliseconds(1)));
        await _server.WaitUntilAsync(s => s.Events("media").Count == 5, "five media frames");
        await Task.Delay(50);

        var media = _server.Events("media");
        Assert.Equal(5, media.Count);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal((i + 2).ToString(), media[i].GetProperty("sequenceNumber").GetString());
            Assert.Equal(_start.StreamSid, media[i].GetProperty("streamSid").GetString());
            var body = media[i].GetProperty("media");
            Assert.Equal("inbound", body.GetProperty("track").GetString());
            Assert.Equal((i + 1).ToString(), body.GetProperty("chunk").GetString());
            Assert.Equal(((i + 1) * 20).ToString(), body.GetProperty("timestamp").GetString());
            Assert.Equal(audio.AsSpan(i * 160, 160).ToArray(), body.GetProperty("payload").GetBytesFromBase64());
        }

        await EndAsync();
    }

    [Fact]
    public async Task Speed_makes_stream_time_run_faster_than_the_clock()
    {
        await StartAsync(new MediaStreamOptions { Speed = 4 });

        await AdvanceAsync(Frame);
        await _server.WaitUntilAsync(s => s.Events("media").Count == 4, "four media frames");
        await Task.Delay(50);

        Assert.Equal(4, _server.Events("media").Count);
        Assert.Equal("80", _server.Events("media")[3].GetProperty("media").GetProperty("timestamp").GetString());
        await EndAsync();
    }

    [Fact]
    public async Task A_key_pressed_on_the_keypad_goes_out_as_dtmf_at_the_next_tick()
    {
        var keypad = new CallerKeypad();
        await StartAsync(new MediaStreamOptions { Keypad = keypad });
        await AdvanceAsync(Frame * 2);
        Assert.Empty(_server.Events("dtmf"));

        Assert.True(keypad.Press('7'));
        Assert.False(keypad.Press('x'));
        await AdvanceAsync(Frame);
        await _server.WaitUntilAsync(s => s.Events("dtmf").Count == 1, "the dtmf");

        Assert.Equal("7", _server.Events("dtmf")[0].GetProperty("dtmf").GetProperty("digit").GetString());
        Assert.Equal(1, (await EndAsync()).DtmfSent);
    }

    [Fact]
    public async Task Dtmf_is_sent_when_its_time_comes_between_media_frames()
    {
        await StartAsync(new MediaStreamOptions { Dtmf = [new DtmfPress('5', TimeSpan.FromMilliseconds(100))] });

        await AdvanceAsync(Frame * 4);
        await _server.WaitUntilAsync(s => s.Events("media").Count == 4, "four frames");
        Assert.Empty(_server.Events("dtmf"));

        await AdvanceAsync(Frame);
        await _server.WaitUntilAsync(s => s.Events("dtmf").Count == 1, "the dtmf");

        var dtmf = _server.Events("dtmf")[0];
        Assert.Equal("5", dtmf.GetProperty("dtmf").GetProperty("digit").GetString());
        Assert.Equal("inbound_track", dtmf.GetProperty("dtmf").GetProperty("track").GetString());
        Assert.Equal(_start.StreamSid, dtmf.GetProperty("streamSid").GetString());
        Assert.Equal("7", dtmf.GetProperty("sequenceNumber").GetString()); // start 1, media 2..6
        await EndAsync();
    }

    [Fact]
    public async Task The_caller_hangs_up_with_stop_once_its_audio_ended_and_the_line_was_quiet()
    {
        await StartAsync(new MediaStreamOptions
        {
            Audio = CallerAudio.FromMuLaw(new byte[800]), // 100 ms
            HangUpAfterQuiet = TimeSpan.FromMilliseconds(200),
        });

        await AdvanceAsync(TimeSpan.FromMilliseconds(280));
        await Task.Delay(50);
        Assert.Empty(_server.Events("stop"));

        await AdvanceAsync(Frame);
        var result = await _running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(StreamEnd.CallerHungUp, result.End);
        var stop = Assert.Single(_server.Events("stop"));
        Assert.Equal(_start.StreamSid, stop.GetProperty("streamSid").GetString());
        Assert.Equal(_start.AccountSid, stop.GetProperty("stop").GetProperty("accountSid").GetString());
        Assert.Equal(_start.CallSid, stop.GetProperty("stop").GetProperty("callSid").GetString());
        Assert.Equal("17", stop.GetProperty("sequenceNumber").GetString()); // start 1, 15 frames 2..16
        await _server.Finished.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelling_makes_the_caller_hang_up_with_stop()
    {
        using var hangUp = new CancellationTokenSource();
        await StartAsync(new MediaStreamOptions { Audio = CallerAudio.FromMuLaw(new byte[80000]) }, hangUp.Token);
        await AdvanceAsync(Frame * 2);

        await hangUp.CancelAsync();
        var result = await _running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(StreamEnd.CallerHungUp, result.End);
        Assert.Equal("stop", _server.Received[^1].GetProperty("event").GetString());
    }

    [Fact]
    public async Task Invalid_messages_are_reported_with_twilios_codes_and_ignored()
    {
        await StartAsync(new MediaStreamOptions());
        await _server.WaitUntilAsync(s => s.StreamSid is not null, "start");

        await _server.SendAsync("{not json");
        await _server.SendAsync($$$"""{"event":"clear","streamSid":"{{{_server.StreamSid}}}"} {"event":"clear"}""");
        await _server.SendAsync($$$"""{"event":"play","streamSid":"{{{_server.StreamSid}}}"}""");
        await _server.SendAsync("""{"event":"media","streamSid":"MZffffffffffffffffffffffffffffffff","media":{"payload":"AAAA"}}""");
        await _sockets.Server.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await _server.SendAsync($$$"""{"event":"mark","streamSid":"{{{_server.StreamSid}}}","mark":{}}""");
        await _server.SendAsync($$$"""{"event":"media","streamSid":"{{{_server.StreamSid}}}","media":{"payload":"%%%"}}""");
        await _server.SendMarkAsync("still-working");
        await _server.WaitUntilAsync(s => s.EchoedMarks.Count == 1, "the valid mark's echo");

        var result = await EndAsync();
        Assert.Equal(
            [TwilioErrorCodes.InvalidMessage, TwilioErrorCodes.InvalidMessage, TwilioErrorCodes.InvalidMessage, TwilioErrorCodes.InvalidMessage,
             TwilioErrorCodes.MalformedMessage, TwilioErrorCodes.InvalidMessage, TwilioErrorCodes.InvalidMessage],
            result.Warnings.Select(w => w.Code));
        Assert.Contains("streamSid", result.Warnings[3].Problem, StringComparison.Ordinal);
        Assert.Equal(0, result.Clears);
        Assert.Equal(0, result.AudioBytesReceived);
    }

    [Fact]
    public async Task Fields_twilio_does_not_document_are_noted_but_the_message_is_played()
    {
        await StartAsync(new MediaStreamOptions());
        await _server.WaitUntilAsync(s => s.StreamSid is not null, "start");

        await _server.SendAsync($$$"""{"event":"media","streamSid":"{{{_server.StreamSid}}}","media":{"payload":"AAAA","track":"outbound"}}""");
        await _observer.WaitForAsync(1);

        var result = await EndAsync();
        Assert.Equal(3, result.AudioBytesReceived);
        Assert.Contains(result.Notes, n => n.Contains("media.track", StringComparison.Ordinal));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task When_the_server_closes_the_socket_the_stream_ends_without_stop()
    {
        await StartAsync(new MediaStreamOptions());
        await AdvanceAsync(Frame * 3);

        await _server.CloseAsync("model unavailable");
        var result = await _running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(StreamEnd.ServerClosed, result.End);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, result.CloseStatus);
        Assert.Equal("model unavailable", result.CloseDescription);
        Assert.Empty(_server.Events("stop"));
    }

    [Fact]
    public async Task Dropped_frames_are_never_sent_and_leave_gaps_in_the_timestamps()
    {
        await StartAsync(new MediaStreamOptions { Impairment = new LineImpairment { DropFrames = 0.25 } });

        await StepAsync(Frame * 10);
        await _server.WaitUntilAsync(s => s.Events("media").Count == 8, "eight media frames");
        await Task.Delay(50);

        var media = _server.Events("media").Select(m => m.GetProperty("media")).ToList();
        Assert.Equal(["1", "2", "3", "5", "6", "7", "9", "10"], media.Select(m => m.GetProperty("chunk").GetString()));
        Assert.Equal(["20", "40", "60", "100", "120", "140", "180", "200"], media.Select(m => m.GetProperty("timestamp").GetString()));
        await EndAsync();
    }

    [Fact]
    public async Task Jittered_frames_are_held_back_but_keep_their_order()
    {
        await StartAsync(new MediaStreamOptions { Impairment = new LineImpairment { Jitter = TimeSpan.FromMilliseconds(100), Seed = 3 } });

        await StepAsync(Frame * 10);
        await Task.Delay(100);
        var onTime = _server.Events("media").Count;
        await StepAsync(TimeSpan.FromMilliseconds(100));
        await _server.WaitUntilAsync(s => s.Events("media").Count >= 10, "the first ten media frames");

        Assert.InRange(onTime, 0, 9);
        var chunks = _server.Events("media").Select(m => int.Parse(m.GetProperty("media").GetProperty("chunk").GetString()!)).ToList();
        Assert.Equal(Enumerable.Range(1, chunks.Count), chunks);
        await EndAsync();
    }
}
