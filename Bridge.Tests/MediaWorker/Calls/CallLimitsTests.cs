using Bridge.MediaWorker.Calls;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>The limits on one call's cost, on a clock the test moves.</summary>
public sealed class CallLimitsTests
{
    private const int Frame = 160;

    private readonly FakeTimeProvider _time = new();

    private CallLimits Limits(CallOptions options, Func<CancellationToken, Task>? hangUp = null) =>
        new(options, _time.GetTimestamp(), _time, hangUp, NullLogger.Instance);

    [Fact]
    public void Caller_audio_may_run_ahead_of_real_time_by_the_tolerance_and_no_further()
    {
        var limits = Limits(new CallOptions { MaxCallerAudioAhead = TimeSpan.FromSeconds(1) });

        // 2 s of wall time pass while 50 frames a second arrive: all in time.
        for (var i = 0; i < 100; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            Assert.True(limits.AcceptCallerAudio(Frame, _time.GetTimestamp()));
        }
        // A burst after a stall: the second's worth that was owed, and one more second ahead, then no more.
        var accepted = 0;
        while (limits.AcceptCallerAudio(Frame, _time.GetTimestamp()))
        {
            accepted++;
        }
        Assert.Equal(50, accepted);
        Assert.False(limits.AcceptCallerAudio(Frame, _time.GetTimestamp()));
    }

    [Fact]
    public async Task A_burst_ahead_of_real_time_ends_the_call()
    {
        var limits = Limits(new CallOptions { MaxCallerAudioAhead = TimeSpan.FromSeconds(1) });
        var watching = limits.WatchAsync(() => { }, CancellationToken.None);

        while (limits.AcceptCallerAudio(Frame, _time.GetTimestamp()))
        {
        }
        var reached = await watching.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CallEndReason.AudioAhead, reached.Limit);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, reached.Status);
    }

    [Fact]
    public async Task Key_presses_may_come_as_fast_as_a_phone_sends_them_and_a_flood_ends_the_call()
    {
        var limits = Limits(new CallOptions());
        var watching = limits.WatchAsync(() => { }, CancellationToken.None);

        // Ten seconds of an autodialler's fastest digits (10 a second), then a burst held back by a stall.
        for (var i = 0; i < 100; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            limits.AcceptCallerAudio(Frame, _time.GetTimestamp());
            Assert.True(limits.AcceptDtmf(_time.GetTimestamp()), $"key press {i + 1} refused");
        }
        _time.Advance(TimeSpan.FromSeconds(2));
        var accepted = 0;
        while (limits.AcceptDtmf(_time.GetTimestamp()))
        {
            accepted++;
        }
        var reached = await watching.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CallLimits.DtmfBurst, accepted);
        Assert.False(limits.AcceptDtmf(_time.GetTimestamp()));
        Assert.Equal(CallEndReason.DtmfFlood, reached.Limit);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, reached.Status);
    }

    [Fact]
    public async Task Messages_may_come_at_twilios_rate_and_after_a_stall_and_a_flood_ends_the_call()
    {
        var limits = Limits(new CallOptions());
        var watching = limits.WatchAsync(() => { }, CancellationToken.None);

        // A minute of Twilio at its busiest: 50 media frames a second, a mark echo after each (single-frame playout
        // messages) and 10 key presses a second, all read.
        for (var tick = 0; tick < 3000; tick++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            var messages = tick % 5 == 0 ? 3 : 2;
            for (var i = 0; i < messages; i++)
            {
                Assert.True(limits.AcceptMessage(_time.GetTimestamp()), $"message {i + 1} of tick {tick} refused");
            }
            limits.AcceptCallerAudio(Frame, _time.GetTimestamp());
        }
        // A 5 s stall (well inside the inactivity timeout), then what Twilio held back arrives at once: all of it read.
        const int held = 5 * 110;
        _time.Advance(TimeSpan.FromSeconds(5));
        for (var i = 0; i < held; i++)
        {
            Assert.True(limits.AcceptMessage(_time.GetTimestamp()), $"held message {i + 1} refused");
        }
        // Then a flood: a second's worth is the sustained rate, what the stall left of the burst, and no more.
        _time.Advance(TimeSpan.FromSeconds(1));
        var accepted = 0;
        while (accepted < 10 * CallLimits.MessageBurst && limits.AcceptMessage(_time.GetTimestamp()))
        {
            accepted++;
        }

        Assert.Equal(CallLimits.MessageBurst, accepted + held - CallLimits.MessagesPerSecond);
        var reached = await watching.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(limits.AcceptMessage(_time.GetTimestamp()));
        Assert.Equal(CallEndReason.MessageFlood, reached.Limit);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, reached.Status);
        Assert.StartsWith("messages faster than Twilio sends them", reached.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_messages_after_a_quiet_start_is_cut_at_the_burst()
    {
        var limits = Limits(new CallOptions());
        var watching = limits.WatchAsync(() => { }, CancellationToken.None);

        var accepted = 0;
        while (accepted < 10 * CallLimits.MessageBurst && limits.AcceptMessage(_time.GetTimestamp()))
        {
            accepted++;
        }

        Assert.Equal(CallLimits.MessageBurst, accepted);
        var reached = await watching.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CallEndReason.MessageFlood, reached.Limit);
        // Once the call is ending, caller audio is refused too.
        Assert.False(limits.AcceptCallerAudio(Frame, _time.GetTimestamp()));
    }

    [Fact]
    public async Task No_caller_audio_for_the_inactivity_timeout_ends_the_call_and_audio_keeps_it_alive()
    {
        var limits = Limits(new CallOptions { InactivityTimeout = TimeSpan.FromSeconds(10) });
        var watching = limits.WatchAsync(() => { }, CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(9));
            limits.AcceptCallerAudio(Frame, _time.GetTimestamp());
        }
        Assert.False(watching.IsCompleted);
        var quietSince = _time.GetUtcNow();
        // The watch re-arms on its own thread: step until it has seen the silence (it never ends the call sooner).
        while (!watching.IsCompleted && _time.GetUtcNow() - quietSince < TimeSpan.FromSeconds(12))
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }
        var reached = await watching.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CallEndReason.Inactivity, reached.Limit);
        Assert.Matches(@"^no caller audio for 10(\.[0-9])? s$", reached.Reason);
    }

    [Fact]
    public async Task Before_the_maximum_duration_the_model_is_asked_for_a_goodbye_and_at_it_the_call_is_hung_up()
    {
        var events = new List<string>();
        var limits = Limits(
            new CallOptions { MaxDuration = TimeSpan.FromMinutes(30), InactivityTimeout = TimeSpan.FromMinutes(10) },
            _ => { events.Add($"hang up at {_time.GetUtcNow():HH:mm:ss}"); return Task.CompletedTask; });
        var started = _time.GetUtcNow();
        var watching = limits.WatchAsync(() => events.Add($"goodbye at {_time.GetUtcNow():HH:mm:ss}"), CancellationToken.None);

        // Audio flows all along (a frame every 20 ms, stepped a second at a time).
        while (!watching.IsCompleted && _time.GetUtcNow() - started < TimeSpan.FromMinutes(31))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            limits.AcceptCallerAudio(50 * Frame - 1, _time.GetTimestamp());
            await Task.Yield();
        }
        var reached = await watching.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CallEndReason.MaxDuration, reached.Limit);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, reached.Status);
        Assert.Equal([$"goodbye at {started.AddSeconds(30 * 60 - 15):HH:mm:ss}", $"hang up at {started.AddMinutes(30):HH:mm:ss}"], events);
    }
}
