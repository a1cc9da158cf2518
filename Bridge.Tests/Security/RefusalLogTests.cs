using Bridge.Security.Refusals;
using Bridge.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Security;

public sealed class RefusalLogTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Each_reason_warns_at_most_once_per_interval_with_the_count_and_the_latest_detail()
    {
        var logger = TestTelemetry.Logger(LogLevel.Warning);
        var entries = () => logger.Collector.GetSnapshot();
        var log = new RefusalLog("a media stream", logger, _time);

        for (var i = 0; i < 2500; i++)
        {
            log.Refused("start-timeout", $"no start within 3 s ({i})");
            _time.Advance(TimeSpan.FromMilliseconds(3));
        }
        log.Refused("signature", "signature does not match");

        // 7.5 s of timeouts: one warning at the first; another reason has its own.
        Assert.Equal(2, entries().Count);
        Assert.Equal("Refusing a media stream (start-timeout): 1 refused since the last report, the latest: no start within 3 s (0)", entries()[0].Message);
        Assert.StartsWith("Refusing a media stream (signature): 1 refused", entries()[1].Message, StringComparison.Ordinal);

        _time.Advance(RefusalLog.ReportInterval);
        log.Refused("start-timeout", "no start within 3 s (last)");

        Assert.Equal(3, entries().Count);
        Assert.Equal("Refusing a media stream (start-timeout): 2500 refused since the last report, the latest: no start within 3 s (last)", entries()[2].Message);
    }

    [Fact]
    public void Every_refusal_is_logged_at_debug_with_its_reason_and_detail()
    {
        var logger = TestTelemetry.Logger(LogLevel.Debug);
        var log = new RefusalLog("a media stream", logger, _time);

        log.Refused("token-reused", "call CA1 already opened a stream on this worker");
        log.Refused("token-reused", "call CA1 already opened a stream on this worker");

        Assert.Equal(2, logger.Collector.GetSnapshot().Count(e => e.Level == LogLevel.Debug && e.Message == "Refused a media stream (token-reused): call CA1 already opened a stream on this worker"));
    }
}
