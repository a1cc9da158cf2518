using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.WebSockets;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Bridge.TwilioStandIn.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.MediaWorker.PublicEdge;

/// <summary>
/// The worker's load balancer asks liveness, not readiness, so a worker short of memory must turn new streams away
/// itself: 503 at the upgrade, by the readiness check's own rule and settings, while its live calls go on.
/// </summary>
public sealed class MemoryAdmissionTests : IAsyncLifetime
{
    private const long Available = 1000L * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly SettableProcessMemory _memory = new();
    private InProcessMediaWorker _worker = null!;

    public async Task InitializeAsync()
    {
        _memory.Set(heapMb: 100, workingSetMb: 200, Available);
        _worker = await InProcessMediaWorker.StartAsync(
            settings: new Dictionary<string, string?> { ["Health:Memory:UnhealthyWorkingSetPercent"] = "70" },
            services: services => services.AddSingleton<IProcessMemory>(_memory));
    }

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    [Fact]
    public async Task A_worker_past_the_working_set_threshold_answers_a_new_upgrade_503_and_its_live_call_goes_on()
    {
        using var rejected = new MetricCollector<long>(_worker.Services.GetRequiredService<IMeterFactory>(), CallTelemetry.MeterName, "bridge.calls.rejected");
        using var timeout = new CancellationTokenSource(Timeout);
        using var hangUp = new CancellationTokenSource();
        var live = await LoopbackCall.StartAsync(_worker.Streams, Timeout, hangUp.Token, timeout.Token);
        await live.FirstAudioAsync(timeout.Token);

        _memory.Set(heapMb: 100, workingSetMb: 700, Available);
        var status = await NewUpgradeStatusAsync(timeout.Token);
        var refusedAt = Stopwatch.GetTimestamp();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(1, rejected.Sum("reason", "memory"));
        Assert.Contains(_worker.Logs.GetSnapshot(), e => e.Level == LogLevel.Debug &&
            e.Message == "Refused a media stream (memory): this worker is short of memory: working set 700 MB is past 70 % of the 1000 MB the GC may use");
        Assert.Equal(1, _worker.Emulator.Counters.StreamsOpened);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await ReadinessAsync(timeout.Token));

        // The live call's audio still comes back after the refusal, and it ends when its caller hangs up.
        while (live.Frames.LatestReturnedSentAt <= refusedAt)
        {
            Assert.False(live.Result.IsCompleted, "the live call ended after the worker ran short of memory");
            await Task.Delay(20, timeout.Token);
        }
        await hangUp.CancelAsync();
        Assert.Equal(StreamEnd.CallerHungUp, (await live.Result.WaitAsync(timeout.Token)).End);

        // Back under the threshold, the next call is taken.
        _memory.Set(heapMb: 100, workingSetMb: 699, Available);
        using var hangUpNext = new CancellationTokenSource();
        var next = await LoopbackCall.StartAsync(_worker.Streams, Timeout, hangUpNext.Token, timeout.Token);
        await next.FirstAudioAsync(timeout.Token);
        await hangUpNext.CancelAsync();
        Assert.Equal(StreamEnd.CallerHungUp, (await next.Result.WaitAsync(timeout.Token)).End);
        Assert.Equal(1, rejected.Sum("reason", "memory"));
    }

    private async Task<HttpStatusCode> NewUpgradeStatusAsync(CancellationToken cancellationToken)
    {
        using var socket = _worker.Streams.NewSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_worker.Streams.MediaUrl, cancellationToken));
        return socket.HttpStatusCode;
    }

    private async Task<(HttpStatusCode, string)> ReadinessAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(_worker.BaseAddress, "/health/readiness"), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
