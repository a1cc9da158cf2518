using Microsoft.Extensions.Logging.Testing;
using Bridge.Security.RateLimits;
using Bridge.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Security;

public sealed class RateLimitRefusalLogTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger _logger = TestTelemetry.Logger(LogLevel.Information);

    [Fact]
    public void A_flood_of_refusals_logs_one_warning_per_interval_with_the_count_since_the_last()
    {
        var log = new RateLimitRefusalLog("webhooks", _logger, _time);

        for (var i = 0; i < 1000; i++)
        {
            log.Refused("203.0.113.7");
            _time.Advance(TimeSpan.FromMilliseconds(5));
        }
        log.Refused("198.51.100.9");

        // 5 s of refusals: one warning at the first; the interval has not passed yet.
        var first = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, first.Level);
        Assert.Contains("1 refused since the last report, the latest from 203.0.113.7", first.Message, StringComparison.Ordinal);

        _time.Advance(RateLimitRefusalLog.ReportInterval);
        log.Refused("198.51.100.9");

        Assert.Equal(2, _logger.Collector.Count);
        Assert.Contains("1001 refused since the last report, the latest from 198.51.100.9", _logger.Collector.GetSnapshot()[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_refusal_is_logged_at_debug()
    {
        var debug = TestTelemetry.Logger(LogLevel.Debug);
        var log = new RateLimitRefusalLog("media-streams", debug, _time);

        log.Refused("203.0.113.7");
        log.Refused("203.0.113.7");

        Assert.Equal(2, debug.Collector.GetSnapshot().Count(e => e.Level == LogLevel.Debug && e.Message.Contains("media-streams request from 203.0.113.7", StringComparison.Ordinal)));
    }
}
