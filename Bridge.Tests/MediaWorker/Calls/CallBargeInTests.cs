using Bridge.Audio;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.MediaWorker.Calls.Fakes;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// Barge-in on fake time: the model's signal, the same signal behind audio waiting for room in a full queue, and the
/// call's own (local) barge-in over audio from a model stream that no longer hears the caller.
/// </summary>
public sealed class CallBargeInTests
{
    private const string Answer = "One two three four five six seven eight nine ten eleven twelve.";

    [Fact]
    public async Task The_models_barge_in_clears_the_line_and_records_the_turn_as_heard_so_far()
    {
        await using var call = FakeCall.Start();
        using var interruptions = call.Metric<long>("bridge.interruptions");
        call.Model.Plans(Answer);
        call.Model.Speaks(TimeSpan.FromSeconds(2));
        await call.StepAsync(TimeSpan.FromSeconds(1));

        call.Model.BargesIn();
        await call.SettleAsync();
        var sentAtTheCut = call.Twilio.SentBytes;
        await call.StepAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(1, call.Twilio.Clears);
        // Heard up to the last mark back before the cut, 1 s in: known to one message (a mark follows each, 100 ms at
        // most, the first of a turn as much as was queued when it left).
        Assert.InRange(call.Twilio.Heard, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(1));
        Assert.Equal(sentAtTheCut, call.Twilio.SentBytes);
        // Half of the 2 s answer was heard: its words are cut at a word near the middle.
        var (said, heard) = Assert.Single(call.Model.Interruptions);
        Assert.Equal(Answer, said);
        Assert.Equal("One two three four five six…", heard);
        Assert.False(call.Model.OutputPlaying);
        Assert.Equal("model", Assert.Single(interruptions.GetMeasurementSnapshot()).Tags["source"]);
        Assert.Contains(call.Log.Collector.GetSnapshot(), r => r.Id.Name == "AssistantInterrupted" && r.Message.EndsWith(heard, StringComparison.Ordinal));
        await call.HangUpAsync();
        Assert.Equal("1", call.Summary("Interruptions"));
        Assert.Equal("0", call.Summary("LocalInterruptions"));
    }

    [Fact]
    public async Task An_interruption_behind_audio_waiting_for_room_clears_the_line_at_once()
    {
        // A queue of 1 s and a 4 s answer said all at once: 2.7 s of it wait behind the queue for room.
        await using var call = FakeCall.Start(new CallOptions { MaxQueuedAudio = TimeSpan.FromSeconds(1) });
        call.Model.Speaks(TimeSpan.FromSeconds(4));
        await call.StepAsync(TimeSpan.FromSeconds(2));

        call.Model.BargesIn();
        await call.StepUntilAsync(() => call.Twilio.Clears == 1, TimeSpan.FromMilliseconds(20), "the clear");
        await call.StepAsync(TimeSpan.FromSeconds(3));

        // Cut 2 s in (heard up to the last mark back by then: within a message). Had the signal waited behind the
        // audio queued before it, the caller would have heard all 4 s.
        Assert.InRange(call.Twilio.Heard, TimeSpan.FromMilliseconds(1_900), TimeSpan.FromSeconds(2));
        await call.HangUpAsync();
        Assert.Equal("0", call.Summary("DroppedMs"));
    }

    [Fact]
    public async Task Audio_that_outruns_the_queue_and_its_read_ahead_is_dropped_and_counted_and_a_barge_in_still_clears_at_once()
    {
        await using var call = FakeCall.Start(new CallOptions { MaxQueuedAudio = TimeSpan.FromSeconds(1) });
        using var dropped = call.Metric<double>("bridge.audio.outbound.dropped");
        // 0.3 s goes to Twilio at once; then 9.7 s more all at once: 1 s waits in the queue, a piece waits for room,
        // and 64 KiB of PCM (4.096 s at 8 kHz) may be read ahead.
        call.Model.Speaks(TimeSpan.FromSeconds(0.3));
        await call.SettleAsync();
        call.Model.Speaks(TimeSpan.FromSeconds(9.7));
        await call.StepAsync(TimeSpan.FromSeconds(1));
        call.Model.BargesIn();
        await call.StepUntilAsync(() => call.Twilio.Clears == 1, TimeSpan.FromMilliseconds(20), "the clear");
        await call.HangUpAsync();

        // Of the 9.7 s, kept: the queue (1 s), the 40 ms piece that did not fit it, and 102 pieces of 40 ms read ahead
        // (65,280 B of the 65,536 allowed). The rest was dropped.
        var droppedMs = dropped.GetMeasurementSnapshot().Sum(m => m.Value);
        Assert.Equal(9_700 - 1_000 - 40 - 4_080, droppedMs);
        Assert.Equal(droppedMs.ToString(System.Globalization.CultureInfo.InvariantCulture), call.Summary("DroppedMs"));
        Assert.Single(call.Log.Collector.GetSnapshot(), r => r.Message.StartsWith("The model's audio outran playback", StringComparison.Ordinal));
        // Cut at once, 1 s in (heard up to the last mark back by then: within a message).
        Assert.InRange(call.Twilio.Heard, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Caller_speech_over_audio_from_a_replaced_stream_clears_it_locally()
    {
        await using var call = FakeCall.Start();
        using var interruptions = call.Metric<long>("bridge.interruptions");
        call.Model.Plans(Answer);
        call.Model.Speaks(TimeSpan.FromSeconds(2.5));
        await call.StepAsync(TimeSpan.FromSeconds(0.5));

        // The stream fails; the new one never produced the audio still playing, and cannot hear the caller over it.
        call.Model.Renews();
        call.Twilio.CallerSays(Tone.Speech(TimeSpan.FromSeconds(0.8)));
        await call.StepUntilAsync(() => call.Twilio.Clears == 1, TimeSpan.FromSeconds(1), "the local barge-in");
        await call.StepAsync(TimeSpan.FromSeconds(1));

        // The caller spoke from 0.5 s, and the voice detector needs 200 ms of speech for an onset: the frame that
        // completed it arrived at 0.72 s, and the answer was cut there. What the caller heard is known to the last
        // mark back by then (within a message), and the words kept follow that.
        Assert.InRange(call.Twilio.Heard, TimeSpan.FromMilliseconds(620), TimeSpan.FromMilliseconds(720));
        Assert.Equal("local", Assert.Single(interruptions.GetMeasurementSnapshot()).Tags["source"]);
        Assert.Single(call.Log.Collector.GetSnapshot(), r => r.Id.Name == "LocalBargeIn");
        var (said, heard) = Assert.Single(call.Model.Interruptions);
        Assert.Equal(Answer, said);
        // Cut within a message of the mark due at 0.7 s: whether its echo was taken before the clear decides the fourth word.
        Assert.Contains(heard, new[] { "One two three…", "One two three four…" });
        await call.HangUpAsync();
        Assert.Equal("1", call.Summary("LocalInterruptions"));
        Assert.Equal("1", call.Summary("Renewals"));
    }

    [Fact]
    public async Task The_models_barge_in_after_the_calls_own_for_the_same_interruption_clears_again_but_counts_once()
    {
        await using var call = FakeCall.Start();
        using var interruptions = call.Metric<long>("bridge.interruptions");
        call.Model.Plans(Answer);
        call.Model.Speaks(TimeSpan.FromSeconds(2.5));
        await call.StepAsync(TimeSpan.FromSeconds(0.5));
        call.Model.Renews();
        call.Twilio.CallerSays(Tone.Speech(TimeSpan.FromSeconds(0.8)));
        await call.StepUntilAsync(() => call.Twilio.Clears == 1, TimeSpan.FromSeconds(1), "the local barge-in");

        // The new stream signals the same interruption; nothing was queued or played since the local clear.
        call.Model.BargesIn();
        await call.StepUntilAsync(() => call.Twilio.Clears == 2, TimeSpan.FromSeconds(1), "the model's clear");
        await call.StepAsync(TimeSpan.FromSeconds(0.5));

        Assert.Equal("local", Assert.Single(interruptions.GetMeasurementSnapshot()).Tags["source"]);
        Assert.Equal(Answer, Assert.Single(call.Model.Interruptions).Said);
        await call.HangUpAsync();
        Assert.Equal("1", call.Summary("Interruptions"));
        Assert.Equal("1", call.Summary("LocalInterruptions"));
    }

    [Fact]
    public async Task A_barge_in_over_audio_queued_after_the_last_clear_is_a_new_interruption()
    {
        await using var call = FakeCall.Start();
        call.Model.Speaks(TimeSpan.FromSeconds(2.5));
        await call.StepAsync(TimeSpan.FromSeconds(0.5));
        call.Model.Renews();
        call.Twilio.CallerSays(Tone.Speech(TimeSpan.FromSeconds(0.8)));
        await call.StepUntilAsync(() => call.Twilio.Clears == 1, TimeSpan.FromSeconds(1), "the local barge-in");

        call.Model.Plans("A new answer.");
        call.Model.Speaks(TimeSpan.FromSeconds(1), generation: 2);
        await call.StepAsync(TimeSpan.FromSeconds(0.5));
        call.Model.BargesIn();
        await call.StepUntilAsync(() => call.Twilio.Clears == 2, TimeSpan.FromSeconds(1), "the model's clear");

        Assert.Equal("A new answer.", call.Model.Interruptions[^1].Said);
        await call.HangUpAsync();
        Assert.Equal("2", call.Summary("Interruptions"));
        Assert.Equal("1", call.Summary("LocalInterruptions"));
    }

    [Fact]
    public async Task Without_a_stream_switch_the_caller_talking_over_the_model_waits_for_the_models_own_signal()
    {
        await using var call = FakeCall.Start();
        call.Model.Speaks(TimeSpan.FromSeconds(2));
        await call.StepAsync(TimeSpan.FromSeconds(0.2));
        call.Twilio.CallerSays(Tone.Speech(TimeSpan.FromSeconds(0.5)));
        await call.StepAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(0, call.Twilio.Clears);
        call.Model.BargesIn();
        await call.SettleAsync();
        Assert.Equal(1, call.Twilio.Clears);
    }

    [Fact]
    public async Task While_the_session_switches_streams_all_audio_playing_is_stale()
    {
        await using var call = FakeCall.Start();
        call.Model.Speaks(TimeSpan.FromSeconds(2));
        await call.StepAsync(TimeSpan.FromSeconds(0.2));
        call.Model.IsHandingOff = true;
        call.Twilio.CallerSays(Tone.Speech(TimeSpan.FromSeconds(0.5)));

        await call.StepUntilAsync(() => call.Twilio.Clears == 1, TimeSpan.FromSeconds(1), "the local barge-in");
    }
}

/// <summary>Caller audio for tests: a 440 Hz tone, loud enough to be speech, as 8 kHz µ-law.</summary>
internal static class Tone
{
    public static byte[] Speech(TimeSpan duration)
    {
        var pcm = new short[(int)(8000 * duration.TotalSeconds)];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000));
        }
        var mulaw = new byte[pcm.Length];
        MuLaw.Encode(pcm, mulaw);
        return mulaw;
    }
}
