using Bridge.CallSimulator.Load;

namespace Bridge.Tests.Tools.CallSimulator;

public sealed class MemorySlopeTests
{
    [Fact]
    public void The_slope_is_the_growth_per_minute_after_the_warm_up()
    {
        var slope = new MemorySlope(TimeSpan.FromSeconds(30));
        for (var second = 0; second <= 120; second++)
        {
            // Fast growth during the warm-up, then 600 KB per minute (10 KB a second) with ±50 KB of noise.
            var kilobytes = second < 30 ? 10_000 * second : 300_000 + 10 * (second - 30) + (second % 2 == 0 ? 50 : -50);
            slope.Add(TimeSpan.FromSeconds(second), kilobytes * 1024L);
        }

        Assert.Equal(91, slope.Samples);
        Assert.InRange(slope.KilobytesPerMinute!.Value, 595, 605);
    }

    [Fact]
    public void Flat_memory_has_a_slope_near_zero_and_too_few_samples_have_none()
    {
        var slope = new MemorySlope(TimeSpan.Zero);
        for (var second = 0; second < MemorySlope.MinimumSamples - 1; second++)
        {
            slope.Add(TimeSpan.FromSeconds(second), 200L << 20);
        }
        Assert.Null(slope.KilobytesPerMinute);

        slope.Add(TimeSpan.FromSeconds(MemorySlope.MinimumSamples), 200L << 20);
        Assert.Equal(0, slope.KilobytesPerMinute!.Value, precision: 6);
    }
}
