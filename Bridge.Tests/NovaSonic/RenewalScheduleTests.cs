using Bridge.NovaSonic;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.NovaSonic;

/// <summary>The renewal policy alone, on fake time: when a stream's renewal falls due, and when it goes regardless.</summary>
public sealed class RenewalScheduleTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _calls = [];
    private readonly RenewalSchedule _schedule;

    public RenewalScheduleTests()
    {
        var options = ScriptedNovaModel.Options(renewAfter: TimeSpan.FromMinutes(6), quietWait: TimeSpan.FromSeconds(60));
        _schedule = new RenewalSchedule(options, _time, generation => _calls.Add($"due {generation}"), generation => _calls.Add($"overdue {generation}"));
    }

    public void Dispose() => _schedule.Dispose();

    [Fact]
    public void A_renewal_falls_due_after_the_renewal_period_and_goes_regardless_after_the_quiet_wait()
    {
        _schedule.Start(1);

        _time.Advance(TimeSpan.FromMinutes(6) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_calls);
        Assert.False(_schedule.IsDue(1));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["due 1"], _calls);
        Assert.True(_schedule.IsDue(1));
        Assert.False(_schedule.IsDue(2));

        _time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(["due 1"], _calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["due 1", "overdue 1"], _calls);
    }

    [Fact]
    public void A_renewal_that_started_is_no_longer_due_and_never_overdue()
    {
        _schedule.Start(1);
        _time.Advance(TimeSpan.FromMinutes(6));

        _schedule.Clear();
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(["due 1"], _calls);
        Assert.False(_schedule.IsDue(1));
    }

    [Fact]
    public void The_next_stream_starts_its_own_period_and_the_old_timers_say_nothing()
    {
        _schedule.Start(1);
        _time.Advance(TimeSpan.FromMinutes(3));

        _schedule.Start(2);
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Empty(_calls);

        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(["due 2"], _calls);
        Assert.False(_schedule.IsDue(1));
        Assert.True(_schedule.IsDue(2));
    }

    [Fact]
    public void Once_disposed_nothing_falls_due()
    {
        _schedule.Start(1);
        _schedule.Dispose();
        _schedule.Start(2);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(_calls);
        Assert.False(_schedule.IsDue(2));
    }

    [Theory]
    [InlineData(false, false, 0, true, false, true)]
    [InlineData(true, false, 0, true, false, false)]   // the listener still hears model audio
    [InlineData(false, true, 0, true, false, false)]   // the model is speaking
    [InlineData(false, false, 1, true, false, false)]  // a tool is running
    [InlineData(false, false, 0, false, false, false)] // the caller is speaking
    [InlineData(false, false, 0, true, true, false)]   // the caller's last words await the model's answer
    public void A_quiet_moment_needs_everyone_quiet_and_nothing_pending(
        bool outputPlaying, bool modelSpeaking, int pendingToolUses, bool callerQuiet, bool awaitingReply, bool quiet)
    {
        Assert.Equal(quiet, RenewalSchedule.IsQuietMoment(outputPlaying, modelSpeaking, pendingToolUses, callerQuiet, awaitingReply));
    }
}
