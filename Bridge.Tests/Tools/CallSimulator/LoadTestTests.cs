using System.Text.Json;
using Bridge.CallSimulator.Load;
using Bridge.Tests.Tools.TwilioStandIn;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.Tools.CallSimulator;

/// <summary>A short real load test against a fake worker that echoes audio back re-chunked, like the emulator's loopback.</summary>
public sealed class LoadTestTests : IAsyncLifetime
{
    private FakeBridge _bridge = null!;

    public async Task InitializeAsync() => _bridge = await FakeBridge.StartAsync();

    public async Task DisposeAsync() => await _bridge.DisposeAsync();

    [Fact]
    public async Task Every_frame_echoed_back_is_matched_and_none_is_lost()
    {
        _bridge.OnMessage = EchoRechunked(dropEvery: 0);

        var result = await RunAsync();

        Assert.Equal(3, result.CallsCompleted);
        Assert.Equal(0, result.CallsFailed);
        Assert.True(result.FramesMeasured > 100, $"{result.FramesMeasured} frames measured");
        Assert.Equal(0, result.FramesLost);
        Assert.Equal(0, result.UnknownFrames);
        Assert.NotNull(result.LatencyP50Ms);
        Assert.True(result.LatencyP50Ms < 1000, $"p50 {result.LatencyP50Ms} ms");
    }

    [Fact]
    public async Task Frames_the_worker_never_sends_back_are_counted_lost()
    {
        _bridge.OnMessage = EchoRechunked(dropEvery: 10);

        var result = await RunAsync();

        var lostShare = (double)result.FramesLost / result.FramesMeasured;
        Assert.InRange(lostShare, 0.08, 0.12);
    }

    [Fact]
    public async Task A_webhook_that_is_not_local_is_refused()
    {
        var test = new LoadTest(new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => test.RunAsync(new LoadOptions
        {
            WebhookUrl = new Uri("https://voice.example.com/webhook"),
            AuthToken = FakeBridge.AuthToken,
        }));

        Assert.Contains("not on this machine", error.Message, StringComparison.Ordinal);
    }

    private async Task<LoadResult> RunAsync()
    {
        using var http = new HttpClient();
        var test = new LoadTest(http, TimeProvider.System, NullLoggerFactory.Instance);
        return await test.RunAsync(new LoadOptions
        {
            WebhookUrl = _bridge.WebhookUrl,
            AuthToken = FakeBridge.AuthToken,
            Calls = 3,
            Ramp = TimeSpan.FromMilliseconds(300),
            Duration = TimeSpan.FromSeconds(3),
            Grace = TimeSpan.FromSeconds(1), // generous: the machine running the tests may be busy
        }).WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Sends every caller frame back in 100-byte pieces (dropping every n-th frame), as model audio.</summary>
    private static Func<FakeMediaServer, JsonElement, Task> EchoRechunked(int dropEvery)
    {
        var pending = new Dictionary<FakeMediaServer, List<byte>>();
        return async (server, message) =>
        {
            if (message.GetProperty("event").GetString() != "media")
            {
                return;
            }
            var chunk = long.Parse(message.GetProperty("media").GetProperty("chunk").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            if (dropEvery > 0 && chunk % dropEvery == 0)
            {
                return;
            }
            List<byte> buffer;
            lock (pending)
            {
                if (!pending.TryGetValue(server, out buffer!))
                {
                    pending[server] = buffer = [];
                }
            }
            buffer.AddRange(message.GetProperty("media").GetProperty("payload").GetBytesFromBase64());
            while (buffer.Count >= 100)
            {
                await server.SendAudioAsync(buffer.GetRange(0, 100).ToArray());
                buffer.RemoveRange(0, 100);
            }
        };
    }
}
