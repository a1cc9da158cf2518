using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.WebSockets;
using Bridge.MediaWorker.Calls;
using Bridge.Security.RateLimits;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>The media worker's per-client limit on WebSocket upgrades, behind a proxy on loopback that names the client.</summary>
public sealed class MediaStreamRateLimitTests
{
    private const string Abuser = "203.0.113.7";
    private const string Twilio = "198.51.100.9";
    private const int Burst = 4;

    [Fact]
    public async Task Upgrades_over_the_limit_get_429_before_the_upgrade_and_its_signature_check_while_another_client_is_served()
    {
        await using var worker = await InProcessMediaWorker.StartAsync(settings: new Dictionary<string, string?>
        {
            ["RateLimits:MediaStreams:PermitsPerSecond"] = "1",
            ["RateLimits:MediaStreams:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var media = worker.MediaUrl;
        var meters = worker.Services.GetRequiredService<IMeterFactory>();
        using var rateLimited = new MetricCollector<long>(meters, RateLimitMetrics.MeterName, RateLimitMetrics.RateLimitedName);
        using var refused = new MetricCollector<long>(meters, CallTelemetry.MeterName, "bridge.calls.rejected");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Burst * 2; i++)
        {
            statuses.Add(await UpgradeStatusAsync(media, forwardedFor: Abuser));
        }

        // Unsigned upgrades: the first burst reaches the worker's signature check (403), what follows does not (429).
        Assert.All(statuses.Take(Burst), status => Assert.Equal(HttpStatusCode.Forbidden, status));
        var limited = statuses.Skip(Burst).Count(status => status == HttpStatusCode.TooManyRequests);
        Assert.InRange(limited, Burst - 1, Burst);
        Assert.Equal(limited, rateLimited.Sum("endpoint", ClientRateLimit.MediaStreams.PolicyName));
        Assert.Equal(Burst * 2 - limited, refused.Sum("reason", "signature"));

        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeStatusAsync(media, forwardedFor: Twilio));
    }

    /// <summary>Attempts an (unsigned) upgrade; returns the HTTP status the worker answered instead of switching protocols.</summary>
    private static async Task<HttpStatusCode> UpgradeStatusAsync(Uri media, string forwardedFor)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(media, timeout.Token));
        return socket.HttpStatusCode;
    }
}
