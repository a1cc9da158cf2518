using Bridge.Softphone.Calls;

namespace Bridge.Tests.Tools.Softphone;

/// <summary>Each reply's latency on the stream clock: from the end of the caller's speech to the first audio heard.</summary>
public sealed class TurnTimerTests
{
    private static readonly short[] Speech = Enumerable.Repeat((short)3000, 160).ToArray();
    private static readonly short[] Quiet = new short[160];

    [Fact]
    public void A_reply_is_timed_from_the_end_of_the_last_speech_frame_to_the_tick_it_starts_playing()
    {
        var timer = new TurnTimer();
        long frame = 0;
        for (var i = 0; i < 10; i++)
        {
            timer.CallerFrame(frame++, Speech); // speech ends at 200 ms
        }
        for (var tick = 0L; tick < 40; tick++)
        {
            timer.CallerFrame(frame++, Quiet);
            Assert.Null(timer.Heard(tick, 0));
        }

        // Tick 40 plays during [820 ms, 840 ms): 620 ms after the speech ended.
        Assert.Equal(TimeSpan.FromMilliseconds(620), timer.Heard(40, 160));
        Assert.Null(timer.Heard(41, 160)); // the same reply goes on
    }

    [Fact]
    public void Audio_already_playing_when_the_caller_stops_is_not_a_reply()
    {
        var timer = new TurnTimer();
        Assert.Null(timer.Heard(0, 160));
        for (var i = 0L; i < 10; i++)
        {
            timer.CallerFrame(i, Speech);
            Assert.Null(timer.Heard(i + 1, 160));
        }
        timer.CallerFrame(10, Quiet);
        timer.CallerFrame(11, Quiet);

        Assert.Null(timer.Heard(12, 160));
    }

    [Fact]
    public void A_click_shorter_than_100_ms_is_not_a_turn_and_the_caller_still_talking_gets_no_reply_time()
    {
        var timer = new TurnTimer();
        timer.CallerFrame(0, Speech);
        timer.CallerFrame(1, Speech);
        timer.CallerFrame(2, Quiet);
        timer.CallerFrame(3, Quiet);
        Assert.Null(timer.Heard(4, 160));
        Assert.Null(timer.Heard(5, 0));

        for (var i = 6L; i < 16; i++)
        {
            timer.CallerFrame(i, Speech);
        }
        Assert.Null(timer.Heard(16, 160)); // still talking: no quiet yet
    }
}
