using Bridge.Tests.Support;
using Bridge.TwilioMedia;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.TwilioMedia;

/// <summary>Crafted timestamp and arrival sequences, as Twilio's media frames could come.</summary>
public sealed class InboundTimingMonitorTests
{
    private static readonly TimeSpan LateAfter = TimeSpan.FromMilliseconds(60);

    private readonly FakeTimeProvider _time = new();
    private readonly InboundTimingMonitor _monitor;
    private readonly DateTimeOffset _start;

    public InboundTimingMonitorTests()
    {
        _start = _time.GetUtcNow();
        _monitor = new InboundTimingMonitor(LateAfter, _time);
    }

    /// <summary>A frame with Twilio timestamp <paramref name="timestamp"/> arrives <paramref name="arrivalMs"/> after the monitor began.</summary>
    private InboundFrameTiming Arrive(long timestamp, double arrivalMs)
    {
        _time.SetUtcNow(_start + TimeSpan.FromMilliseconds(arrivalMs));
        return _monitor.Observe(timestamp);
    }

    /// <summary>Frames <paramref name="first"/>..<paramref name="last"/> (by 20 ms slot), each on time plus a fixed delay.</summary>
    private void Steady(int first, int last, double delay = 5)
    {
        for (var slot = first; slot <= last; slot++)
        {
            Arrive(20 + slot * 20L, slot * 20.0 + delay);
        }
    }

    [Fact]
    public void A_steady_stream_has_no_gap_loss_lateness_or_jitter()
    {
        Steady(0, 499);
        _monitor.Complete();

        Assert.Equal(500, _monitor.FramesReceived);
        Assert.Equal(0, _monitor.Gaps);
        Assert.Equal(0, _monitor.FramesLost);
        Assert.Equal(0, _monitor.FramesLate);
        Assert.Equal(0, _monitor.FramesReordered);
        Assert.Equal(0, _monitor.MaxJitterMilliseconds);
    }

    [Fact]
    public void A_timestamp_jump_is_a_gap_and_its_missing_frames_are_lost()
    {
        Steady(0, 9);
        var jump = Arrive(20 + 13 * 20, 13 * 20 + 5); // slots 10, 11 and 12 never come
        Steady(14, 20);
        _monitor.Complete();

        Assert.Equal(60, jump.GapMilliseconds);
        Assert.Equal(1, _monitor.Gaps);
        Assert.Equal(60, _monitor.GapMilliseconds);
        Assert.Equal(3, _monitor.FramesLost);
        Assert.Equal(0, _monitor.FramesLate);
    }

    [Fact]
    public void A_missing_frame_is_declared_lost_once_the_reordering_window_has_passed_it()
    {
        Steady(0, 9);
        Steady(11, 9 + InboundTimingMonitor.ReorderWindowFrames);
        Assert.Equal(0, _monitor.FramesLost);

        var next = Arrive(20 + (10 + InboundTimingMonitor.ReorderWindowFrames) * 20L, (10 + InboundTimingMonitor.ReorderWindowFrames) * 20.0);

        Assert.Equal(1, next.FramesLost);
        Assert.Equal(1, _monitor.FramesLost);
    }

    [Fact]
    public void A_jump_longer_than_the_window_counts_every_missing_frame_once()
    {
        Steady(0, 4);
        Arrive(20 + 205 * 20, 205 * 20 + 5); // 200 frames (4 s) missing
        Steady(206, 210);
        _monitor.Complete();

        Assert.Equal(200, _monitor.FramesLost);
        Assert.Equal(4000, _monitor.GapMilliseconds);
    }

    [Fact]
    public void A_frame_arriving_behind_a_later_one_is_reordered_not_lost()
    {
        Steady(0, 2);
        Arrive(20 + 4 * 20, 4 * 20 + 5);
        var behind = Arrive(20 + 3 * 20, 4 * 20 + 6);
        Steady(5, 10);
        _monitor.Complete();

        Assert.True(behind.Reordered);
        Assert.Equal(1, _monitor.FramesReordered);
        Assert.Equal(0, _monitor.FramesLost);
        Assert.Equal(0, _monitor.FramesDuplicated);
    }

    [Fact]
    public void A_repeated_timestamp_is_a_duplicate()
    {
        Steady(0, 5);
        var again = Arrive(20 + 5 * 20, 5 * 20 + 7);
        Steady(6, 8);

        Assert.True(again.Duplicate);
        Assert.Equal(1, _monitor.FramesDuplicated);
        Assert.Equal(0, _monitor.FramesReordered);
        Assert.Equal(10, _monitor.FramesReceived);
    }

    [Fact]
    public void Jitter_follows_rfc_3550_for_alternating_delays()
    {
        // Every other frame arrives 10 ms later: each transit differs from the last by 10 ms.
        const int frames = 100;
        for (var slot = 0; slot < frames; slot++)
        {
            Arrive(20 + slot * 20L, slot * 20.0 + (slot % 2 == 0 ? 0 : 10));
        }

        // J(n) = J(n-1) + (10 - J(n-1)) / 16 from J(0) = 0, over frames - 1 differences.
        var expected = 10 * (1 - Math.Pow(15.0 / 16, frames - 1));
        Assert.Equal(expected, _monitor.JitterMilliseconds, 6);
        Assert.Equal(expected, _monitor.MaxJitterMilliseconds, 6);
        Assert.Equal(0, _monitor.FramesLate);
    }

    [Fact]
    public void A_stall_then_a_burst_makes_the_frames_held_longest_late()
    {
        Steady(0, 49);
        // Frames of slots 50..59 are held and all arrive together at slot 60's time (200 ms after slot 50's).
        for (var slot = 50; slot <= 60; slot++)
        {
            Arrive(20 + slot * 20L, 60 * 20 + 5);
        }
        Steady(61, 80);

        // Lateness is 200 ms for slot 50, down to 20 ms for slot 59; above 60 ms: slots 50..56.
        Assert.Equal(7, _monitor.FramesLate);
        Assert.Equal(0, _monitor.Gaps);
        Assert.True(_monitor.MaxJitterMilliseconds > 5, $"jitter {_monitor.MaxJitterMilliseconds}");
    }

    [Fact]
    public void Clock_drift_between_twilio_and_the_bridge_does_not_make_frames_late()
    {
        // The bridge's clock runs 0.2 % fast: transit grows by 120 ms over a minute.
        for (var slot = 0; slot < 3000; slot++)
        {
            Arrive(20 + slot * 20L, slot * 20 * 1.002 + 5);
        }

        Assert.Equal(0, _monitor.FramesLate);
    }

    [Fact]
    public void Jitter_is_sampled_once_per_second_of_caller_audio()
    {
        var samples = 0;
        for (var slot = 0; slot < 250; slot++)
        {
            samples += Arrive(20 + slot * 20L, slot * 20.0 + (slot % 2 == 0 ? 0 : 4)).JitterSampled ? 1 : 0;
        }

        Assert.Equal(5, samples);
        Assert.InRange(_monitor.MeanJitterMilliseconds, 3, 4);
    }

    [Fact]
    public void Observing_a_frame_allocates_nothing()
    {
        var monitor = new InboundTimingMonitor(LateAfter, TimeProvider.System);
        monitor.Observe(20);

        // The monitor's state moves on, so each round takes the next thousand slots rather than repeating the last.
        var slot = 1;
        Assert.Equal(0, Allocations.FewestPerRound(() =>
        {
            for (var end = slot + 1000; slot < end; slot++)
            {
                // Gaps, reordering and duplicates included.
                monitor.Observe(20 + (slot % 7 == 0 ? slot + 3 : slot) * 20L);
            }
            monitor.Complete();
        }));
    }
}
