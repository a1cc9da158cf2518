using Bridge.MediaWorker.Calls;
using Bridge.Tests.MediaWorker.Calls.Fakes;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// The model's speech on its way to the caller, on fake time: paced by what the caller has heard (Twilio's mark
/// echoes), queued when the model runs ahead, holes counted when it runs behind. Milliseconds of test, exact figures.
/// </summary>
public sealed class CallPlayoutTests
{
    private const int BytesPerMs = 8;

    [Fact]
    public async Task Audio_runs_no_further_ahead_of_what_was_heard_than_the_playback_lead_and_all_of_it_is_heard()
    {
        await using var call = FakeCall.Start();
        call.Model.Speaks(TimeSpan.FromSeconds(2));
        call.Model.EndsTurn("A two-second answer.");
        await call.SettleAsync();

        // Nothing has played yet: the lead (300 ms) went out at once, the rest waits in the queue.
        Assert.Equal(300 * BytesPerMs, call.Twilio.SentBytes);
        await call.StepAsync(TimeSpan.FromSeconds(2.2));

        Assert.Equal(TimeSpan.FromSeconds(2), call.Twilio.Heard);
        Assert.Equal(300 * BytesPerMs, call.Twilio.MostLeadBytes);
        Assert.False(call.Model.OutputPlaying);
        Assert.Equal(CallEndReason.CallerHungUp, await call.HangUpAsync());
        Assert.Equal("0", call.Summary("Underruns"));
        Assert.Equal("100", call.Summary("FramesOut"));
    }

    [Fact]
    public async Task Audio_said_ahead_of_playback_leaves_in_messages_of_a_third_of_the_lead_each_with_one_mark()
    {
        await using var call = FakeCall.Start();
        // 2 s in one piece, queued before the sender wakes.
        call.Model.Speaks(TimeSpan.FromSeconds(2), piece: TimeSpan.FromSeconds(2));
        call.Model.EndsTurn("A two-second answer.");
        await call.StepAsync(TimeSpan.FromSeconds(2.2));

        // The default 300 ms lead in 100 ms messages: 20 writes and 20 mark echoes for the 2 s (50 in 40 ms ones).
        Assert.Equal(20, call.Twilio.AudioMessages);
        Assert.Equal(100 * BytesPerMs, call.Twilio.LargestAudioMessageBytes);
        Assert.Equal(TimeSpan.FromSeconds(2), call.Twilio.Heard);
        await call.HangUpAsync();
        Assert.Equal("0", call.Summary("Underruns"));
    }

    [Fact]
    public async Task Audio_said_as_fast_as_it_plays_leaves_one_message_per_piece_the_model_sent()
    {
        await using var call = FakeCall.Start();
        call.Model.IsModelSpeaking = true;
        // 80 ms pieces every 80 ms (the model's chunks at 80 ms input chunks in loopback): each leaves whole.
        for (var piece = 0; piece < 10; piece++)
        {
            call.Model.Speaks(TimeSpan.FromMilliseconds(80), piece: TimeSpan.FromMilliseconds(80));
            await call.StepAsync(TimeSpan.FromMilliseconds(80));
        }
        call.Model.IsModelSpeaking = false;
        call.Model.EndsTurn("In step.");
        await call.StepAsync(TimeSpan.FromMilliseconds(200));

        Assert.Equal(10, call.Twilio.AudioMessages);
        Assert.Equal(80 * BytesPerMs, call.Twilio.LargestAudioMessageBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(800), call.Twilio.Heard);
    }

    [Fact]
    public async Task Audio_in_step_with_playback_leaves_at_once_even_while_Twilio_holds_most_of_the_lead()
    {
        await using var call = FakeCall.Start();
        using var latency = call.Metric<double>("bridge.latency.outbound");
        call.Model.IsModelSpeaking = true;
        // 240 ms ahead, then 40 ms pieces in step with playback: each finds Twilio holding 200 ms or more, and leaves
        // alone at once instead of waiting for the next to fill a 100 ms message.
        call.Model.Speaks(TimeSpan.FromMilliseconds(240));
        await call.SettleAsync();
        for (var piece = 0; piece < 10; piece++)
        {
            call.Model.Speaks(TimeSpan.FromMilliseconds(40));
            await call.StepAsync(TimeSpan.FromMilliseconds(40));
        }
        call.Model.IsModelSpeaking = false;
        call.Model.EndsTurn("Ahead, then in step.");
        await call.StepAsync(TimeSpan.FromMilliseconds(500));

        // On fake time what leaves at once took 0 ms; a piece held back for the next would show 40-80 ms.
        Assert.NotEmpty(latency.GetMeasurementSnapshot());
        Assert.All(latency.GetMeasurementSnapshot(), m => Assert.Equal(0, m.Value));
        Assert.Equal(TimeSpan.FromMilliseconds(640), call.Twilio.Heard);
        await call.HangUpAsync();
        Assert.Equal("0", call.Summary("Underruns"));
    }

    [Theory]
    [InlineData(60, 40)]
    [InlineData(150, 40)]
    [InlineData(200, 60)]
    [InlineData(300, 100)]
    [InlineData(5_000, 100)]
    public void A_message_is_a_third_of_the_lead_in_whole_frames_from_40_to_100_ms(int leadMs, int messageMs) =>
        Assert.Equal(messageMs * BytesPerMs, Playout.MessageBytes(leadMs * BytesPerMs));

    [Fact]
    public async Task A_model_slower_than_playback_leaves_underruns_each_as_long_as_the_caller_waited()
    {
        await using var call = FakeCall.Start();
        using var underruns = call.Metric<double>("bridge.audio.outbound.underrun");
        call.Model.IsModelSpeaking = true;

        // 40 ms of speech every 80 ms: each piece plays in 40 ms, then Twilio waits 40 ms for the next.
        for (var piece = 0; piece < 10; piece++)
        {
            call.Model.Speaks(TimeSpan.FromMilliseconds(40));
            await call.StepAsync(TimeSpan.FromMilliseconds(80));
        }
        call.Model.IsModelSpeaking = false;
        call.Model.EndsTurn("Slowly.");
        await call.StepAsync(TimeSpan.FromMilliseconds(100));
        await call.HangUpAsync();

        // Nine holes between ten pieces; none after the last (the model had finished).
        Assert.Equal(Enumerable.Repeat(40.0, 9), underruns.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal("9", call.Summary("Underruns"));
        Assert.Equal("360", call.Summary("UnderrunMs"));
        Assert.Equal(TimeSpan.FromMilliseconds(400), call.Twilio.Heard);
    }

    [Fact]
    public async Task A_model_faster_than_playback_leaves_no_underrun_and_the_summary_shows_the_queue()
    {
        await using var call = FakeCall.Start();
        using var queue = call.Metric<double>("bridge.audio.queue");
        call.Model.IsModelSpeaking = true;
        // A second of speech in 40 ms pieces, all before the clock moves (each taken in before the next is said).
        for (var piece = 0; piece < 25; piece++)
        {
            call.Model.Speaks(TimeSpan.FromMilliseconds(40));
            await call.SettleAsync();
        }
        call.Model.IsModelSpeaking = false;
        call.Model.EndsTurn("Quickly.");
        await call.StepAsync(TimeSpan.FromSeconds(1.2));
        await call.HangUpAsync();

        Assert.Equal("0", call.Summary("Underruns"));
        // All of the 1 s answer waited in the queue at once but the 300 ms lead.
        Assert.Equal("700", call.Summary("MaxQueuedMs"));
        Assert.Equal(700, queue.GetMeasurementSnapshot().Max(m => m.Value));
        Assert.Equal(TimeSpan.FromSeconds(1), call.Twilio.Heard);
    }

    [Fact]
    public async Task The_caller_is_heard_by_the_model_in_chunks_and_its_frames_are_counted()
    {
        await using var call = FakeCall.Start();
        using var frames = call.Metric<long>("bridge.audio.frames");
        await call.StepAsync(TimeSpan.FromSeconds(1));
        await call.HangUpAsync();

        // Twilio's 50 frames a second, 160 samples each, all passed on at the model's input rate (8 kHz here).
        Assert.Equal(50 * 160, call.Model.SamplesIn);
        Assert.Equal("50", call.Summary("FramesIn"));
        Assert.Equal(50, frames.GetMeasurementSnapshot().Where(m => Equals(m.Tags["direction"], "in")).Sum(m => m.Value));
        Assert.Equal("0", call.Summary("InboundGaps"));
    }

    [Fact]
    public async Task Dtmf_reaches_the_model_as_text()
    {
        await using var call = FakeCall.Start();
        call.Twilio.PressesKey('5');
        await call.SettleAsync();

        Assert.Equal(["The caller pressed 5 on the phone's keypad."], call.Model.Texts);
    }
}
