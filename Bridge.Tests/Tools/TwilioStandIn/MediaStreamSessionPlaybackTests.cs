using System.Net.WebSockets;
using System.Text.Json;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>Playback as Twilio does it, on a controlled clock: marks echoed as audio plays, clear, what the caller heard.</summary>
public sealed class MediaStreamSessionPlaybackTests : MediaStreamSessionRig
{
    [Fact]
    public async Task A_mark_with_nothing_buffered_is_echoed_at_once()
    {
        await StartAsync(new MediaStreamOptions());

        await _server.SendMarkAsync("idle");

        await _server.WaitUntilAsync(s => s.EchoedMarks.Count == 1, "the mark's echo");
        var echo = _server.Events("mark")[0];
        Assert.Equal("idle", echo.GetProperty("mark").GetProperty("name").GetString());
        Assert.Equal(_start.StreamSid, echo.GetProperty("streamSid").GetString());
        Assert.True(echo.TryGetProperty("sequenceNumber", out _));
        Assert.Equal(0, _time.GetUtcNow().Subtract(_time.Start).Ticks);
        await EndAsync();
    }

    [Fact]
    public async Task A_mark_is_echoed_when_playback_reaches_it_and_not_before()
    {
        await StartAsync(new MediaStreamOptions());
        await _server.SendAudioAsync(new byte[8000]); // one second
        await _server.SendMarkAsync("one-second");
        await _observer.WaitForAsync(2);

        // Playback starts at the first tick (20 ms) and its 50th frame finishes at 1020 ms.
        await AdvanceAsync(TimeSpan.FromMilliseconds(1000));
        await Task.Delay(50);
        Assert.Empty(_server.EchoedMarks);

        await AdvanceAsync(Frame);
        await _server.WaitUntilAsync(s => s.EchoedMarks.Count == 1, "the mark's echo");
        Assert.Equal(["one-second"], _server.EchoedMarks);

        var result = await EndAsync();
        Assert.Equal(TimeSpan.FromSeconds(1), result.HeardAudio);
        Assert.Equal(Frame, result.TimeToFirstAudio);
        Assert.Equal(1, result.MarksReceived);
        Assert.Equal(1, result.MarksEchoed);
    }

    [Fact]
    public async Task Clear_drops_buffered_audio_and_echoes_every_pending_mark_at_once()
    {
        await StartAsync(new MediaStreamOptions());
        await _server.SendAudioAsync(new byte[8000]);
        await _server.SendMarkAsync("m1");
        await _server.SendAudioAsync(new byte[8000]);
        await _server.SendMarkAsync("m2");
        await _observer.WaitForAsync(4);
        await AdvanceAsync(TimeSpan.FromMilliseconds(500));

        await _server.SendClearAsync();

        // No time passes: both marks come back at once, in order.
        await _server.WaitUntilAsync(s => s.EchoedMarks.Count == 2, "both marks");
        Assert.Equal(["m1", "m2"], _server.EchoedMarks);

        await AdvanceAsync(TimeSpan.FromMilliseconds(200));
        var result = await EndAsync();
        Assert.Equal(1, result.Clears);
        Assert.Equal(TimeSpan.FromSeconds(0.5), result.HeardAudio);
        Assert.Equal(TimeSpan.FromSeconds(1.5), result.DroppedAudio);
        Assert.Equal(TimeSpan.Zero, result.UnplayedAudio);
    }

    [Fact]
    public async Task What_the_caller_heard_is_recorded_with_silence_where_nothing_played()
    {
        await StartAsync(new MediaStreamOptions());
        await AdvanceAsync(Frame * 2);
        var speech = Enumerable.Repeat((byte)0x10, 240).ToArray();
        await _server.SendAudioAsync(speech);
        await _observer.WaitForAsync(1);
        await AdvanceAsync(Frame * 3);

        var heard = (await EndAsync()).HeardMuLaw;

        Assert.Equal(5 * 160, heard.Length);
        Assert.All(heard[..320], b => Assert.Equal(PlaybackClock.Silence, b));
        Assert.All(heard[320..560], b => Assert.Equal(0x10, b));
        Assert.All(heard[560..], b => Assert.Equal(PlaybackClock.Silence, b));
    }

    [Fact]
    public async Task A_listener_hears_every_frame_as_it_plays_with_how_much_came_from_the_server()
    {
        var listener = new ListeningEar();
        await StartAsync(new MediaStreamOptions { Listener = listener, RecordHeardAudio = false });
        await AdvanceAsync(Frame * 2);
        await _server.SendAudioAsync(Enumerable.Repeat((byte)0x10, 240).ToArray());
        await _observer.WaitForAsync(1);
        await AdvanceAsync(Frame * 3);
        var result = await EndAsync();

        Assert.Empty(result.HeardMuLaw);
        Assert.Equal([(0L, 0), (1, 0), (2, 160), (3, 80), (4, 0)], listener.Frames.Select(f => (f.Tick, f.Played)));
        Assert.All(listener.Frames[3].Bytes[..80], b => Assert.Equal(0x10, b));
        Assert.All(listener.Frames[3].Bytes[80..], b => Assert.Equal(PlaybackClock.Silence, b));
    }

    [Fact]
    public async Task The_reply_latency_runs_from_the_end_of_the_callers_speech_to_the_first_audio_heard()
    {
        // 100 ms of loud speech, then 200 ms of silence in the file.
        byte[] speech = [.. Enumerable.Repeat((byte)0x05, 800), .. Enumerable.Repeat(PlaybackClock.Silence, 1600)];
        await StartAsync(new MediaStreamOptions { Audio = CallerAudio.FromMuLaw(speech) });
        await AdvanceAsync(TimeSpan.FromMilliseconds(200));

        await _server.SendAudioAsync(Enumerable.Repeat((byte)0x10, 160).ToArray());
        await _observer.WaitForAsync(1);
        await AdvanceAsync(TimeSpan.FromMilliseconds(100));
        var result = await EndAsync();

        // The reply starts playing at the next tick, 220 ms into the stream: 120 ms after the speech ended.
        Assert.Equal(TimeSpan.FromMilliseconds(120), result.ReplyLatency);
        Assert.Equal(TimeSpan.FromMilliseconds(220), result.TimeToFirstAudio);
    }

    [Fact]
    public async Task The_caller_waits_for_the_reply_to_finish_before_hanging_up()
    {
        await StartAsync(new MediaStreamOptions { HangUpAfterQuiet = TimeSpan.FromMilliseconds(100) });
        await _server.SendAudioAsync(new byte[1600]); // 200 ms of reply
        await _observer.WaitForAsync(1);

        await AdvanceAsync(TimeSpan.FromMilliseconds(300));
        await Task.Delay(50);
        Assert.Empty(_server.Events("stop"));

        await AdvanceAsync(TimeSpan.FromMilliseconds(20));
        var result = await _running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(StreamEnd.CallerHungUp, result.End);
        Assert.Equal(TimeSpan.FromMilliseconds(320), result.Duration);
    }
}
