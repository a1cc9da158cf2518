using Bridge.TwilioStandIn.Media;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>Twilio's playback of outbound audio: 160 bytes per 20 ms, marks at the end of what precedes them, clear.</summary>
public sealed class PlaybackClockTests
{
    private readonly PlaybackClock _clock = new();
    private readonly List<string> _echo = [];
    private readonly byte[] _frame = new byte[160];

    [Fact]
    public void A_mark_with_nothing_buffered_is_echoed_at_once()
    {
        Assert.True(_clock.Mark("idle"));
    }

    [Fact]
    public void Audio_plays_160_bytes_per_tick_in_order_across_payload_boundaries()
    {
        _clock.Enqueue(Bytes(100, start: 0));
        _clock.Enqueue(Bytes(300, start: 100));

        _clock.Tick(_frame, _echo);
        Assert.Equal(Bytes(160, start: 0), _frame);
        _clock.Tick(_frame, _echo);
        Assert.Equal(Bytes(160, start: 160), _frame);
        _clock.Tick(_frame, _echo);
        Assert.Equal([.. Bytes(80, start: 320), .. Enumerable.Repeat(PlaybackClock.Silence, 80)], _frame);
        Assert.Equal(400, _clock.PlayedBytes);
    }

    [Fact]
    public void Nothing_buffered_plays_silence()
    {
        _clock.Tick(_frame, _echo);

        Assert.All(_frame, b => Assert.Equal(PlaybackClock.Silence, b));
        Assert.Null(_clock.FirstAudioTick);
    }

    [Fact]
    public void A_mark_is_echoed_only_when_the_audio_before_it_has_finished_playing()
    {
        _clock.Enqueue(new byte[320]); // two frames
        Assert.False(_clock.Mark("after-two-frames"));

        _clock.Tick(_frame, _echo); // frame 1 starts
        _clock.Tick(_frame, _echo); // frame 1 done, frame 2 starts
        Assert.Empty(_echo);

        _clock.Tick(_frame, _echo); // frame 2 done
        Assert.Equal(["after-two-frames"], _echo);
    }

    [Fact]
    public void A_mark_sent_while_the_last_frame_plays_waits_for_that_frame()
    {
        _clock.Enqueue(new byte[160]);
        _clock.Tick(_frame, _echo);

        Assert.False(_clock.Mark("late"));
        _clock.Tick(_frame, _echo);
        Assert.Equal(["late"], _echo);
    }

    [Fact]
    public void Marks_are_echoed_in_the_order_they_were_sent()
    {
        _clock.Enqueue(new byte[100]);
        _clock.Mark("a");
        _clock.Mark("b");
        _clock.Enqueue(new byte[10]);
        _clock.Mark("c");

        _clock.Tick(_frame, _echo);
        _clock.Tick(_frame, _echo);

        Assert.Equal(["a", "b", "c"], _echo);
    }

    [Fact]
    public void Clear_drops_buffered_audio_and_echoes_every_pending_mark_at_once()
    {
        _clock.Enqueue(new byte[8000]);
        _clock.Mark("first-second");
        _clock.Enqueue(new byte[8000]);
        _clock.Mark("second-second");
        _clock.Tick(_frame, _echo);

        _clock.Clear(_echo);

        Assert.Equal(["first-second", "second-second"], _echo);
        Assert.Equal(16000 - 160, _clock.DroppedBytes);
        Assert.Equal(0, _clock.BufferedBytes);
        Assert.Equal(1, _clock.Clears);
        _echo.Clear();
        _clock.Tick(_frame, _echo);
        Assert.All(_frame, b => Assert.Equal(PlaybackClock.Silence, b));
        Assert.Empty(_echo);
    }

    [Fact]
    public void After_a_clear_a_mark_has_nothing_to_wait_for()
    {
        _clock.Enqueue(new byte[1600]);
        _clock.Tick(_frame, _echo);
        _clock.Clear(_echo);

        Assert.True(_clock.Mark("after-clear"));
    }

    [Fact]
    public void Audio_after_a_clear_plays_next()
    {
        _clock.Enqueue(Bytes(1000, start: 0));
        _clock.Clear(_echo);
        _clock.Enqueue(Bytes(160, start: 7));

        _clock.Tick(_frame, _echo);

        Assert.Equal(Bytes(160, start: 7), _frame);
    }

    [Fact]
    public void The_first_audio_tick_is_the_tick_that_first_played_received_audio()
    {
        _clock.Tick(_frame, _echo);
        _clock.Tick(_frame, _echo);
        _clock.Enqueue(new byte[10]);
        _clock.Tick(_frame, _echo);

        Assert.Equal(2, _clock.FirstAudioTick);
    }

    private static byte[] Bytes(int count, int start) =>
        Enumerable.Range(start, count).Select(i => (byte)(i % 251)).ToArray();
}
