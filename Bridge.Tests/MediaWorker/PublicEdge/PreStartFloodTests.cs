using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Globalization;
using System.Net;
using System.Diagnostics.Metrics;
using Bridge.TwilioStandIn.Media;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.MediaWorker.PublicEdge;

/// <summary>
/// The upgrade's signature is the same for every call, so one captured header opens as many sockets as an attacker
/// likes. Those sockets wait for <c>start</c> in a small pool of their own: they hold no call slot, and a flood of
/// them neither refuses a legitimate call nor turns the worker not-ready.
/// </summary>
public sealed class PreStartFloodTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a legitimate caller stays on for its first audio: on a busy machine the answer comes later, and a call
    /// that hung up before it would be taken for one the flood had starved.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_address_holding_and_reopening_more_pre_start_sockets_than_the_worker_has_call_slots_refuses_no_call_from_another()
    {
        const int maxConcurrent = 4;
        const int maxPerAddress = 6;
        await using var worker = await InProcessMediaWorker.StartAsync(settings: Settings(maxConcurrent, maxTotal: 16, maxPerAddress));
        using var rejected = new MetricCollector<long>(worker.Services.GetRequiredService<IMeterFactory>(), CallTelemetry.MeterName, "bridge.calls.rejected");
        using var timeout = new CancellationTokenSource(Timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        const int lanes = 3 * maxPerAddress;
        var flood = new PreStartFlood(worker.Streams, "203.0.113.7", lanes);
        var flooding = flood.RunAsync(stop.Token);
        await flood.Holding(maxPerAddress).WaitAsync(timeout.Token);

        // Two rounds of calls from another address (127.0.0.1), one call short of a full worker so that readiness
        // must stay 200, while the flood holds its share of the pool and reopens every socket the worker closes.
        var results = new List<(MediaStreamResult Result, LoopbackCall Call)>();
        var readiness = new List<HttpStatusCode>();
        for (var round = 0; round < 2; round++)
        {
            // Each caller talks for 2.5 s (the flood's sockets time out meanwhile) and until its audio comes back.
            using var hangUp = new CancellationTokenSource();
            var calls = new List<LoopbackCall>();
            for (var i = 0; i < maxConcurrent - 1; i++)
            {
                calls.Add(await LoopbackCall.StartAsync(worker.Streams, Patience, hangUp.Token, timeout.Token));
            }
            await Task.WhenAll(calls.Select(c => c.FirstAudioAsync(timeout.Token)).Append(Task.Delay(TimeSpan.FromSeconds(2.5), timeout.Token)));
            readiness.Add(await ReadinessAsync(worker, timeout.Token));
            await hangUp.CancelAsync();
            foreach (var call in calls)
            {
                results.Add((await call.Result.WaitAsync(timeout.Token), call));
            }
            readiness.Add(await ReadinessAsync(worker, timeout.Token));
        }
        await stop.CancelAsync();
        await flooding;

        // Each call ran to its end: the caller hung up once its audio had come back.
        Assert.All(results, r => Assert.Equal(StreamEnd.CallerHungUp, r.Result.End));
        Assert.All(results, r => Assert.True(r.Call.Frames.Returned > 0, "a legitimate call got no audio back"));
        Assert.All(readiness, status => Assert.Equal(HttpStatusCode.OK, status));
        // Only the legitimate calls ever reached the model.
        Assert.Equal(2 * (maxConcurrent - 1), worker.Emulator.Counters.StreamsOpened);
        // The flood held more sockets over the test than the worker has call slots, past its share it was refused,
        // and every socket it held was closed at the start timeout (1008).
        Assert.True(flood.Opened > maxConcurrent, $"the flood opened only {flood.Opened} sockets");
        Assert.True(flood.TooMany > 0, "no upgrade from the flooding address was refused for its share of the pool");
        Assert.True(flood.Closes.GetValueOrDefault(1008) > 0, "no flood socket was closed at the start timeout");
        // Every refusal the flood saw was counted; when the flood stops, each lane may have had one more upgrade refused
        // whose answer it no longer read.
        Assert.InRange(rejected.Sum("reason", "pending-per-address"), flood.TooMany, flood.TooMany + lanes);
    }

    [Fact]
    public async Task A_pre_start_pool_filled_from_many_addresses_gives_the_oldest_socket_s_place_to_a_legitimate_stream()
    {
        const int maxTotal = 8;
        await using var worker = await InProcessMediaWorker.StartAsync(settings: Settings(maxConcurrent: 4, maxTotal, maxPerAddress: 2, startTimeout: "00:00:30"));
        using var timeout = new CancellationTokenSource(Timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        // Twice the pool's places, from as many addresses: each lane holds one socket until the worker closes it.
        var floods = Enumerable.Range(1, 2 * maxTotal).Select(i => new PreStartFlood(worker.Streams, $"203.0.113.{i}", lanes: 1, reopen: false)).ToList();
        var flooding = Task.WhenAll(floods.Select(f => f.RunAsync(stop.Token)));
        await Task.WhenAll(floods.Select(f => f.Holding(1))).WaitAsync(timeout.Token);
        Assert.Equal(maxTotal, worker.Services.GetRequiredService<PendingStreams>().Count);

        // One after another, each once the last has been admitted (its audio comes back): the legitimate address has
        // a share of two pre-start places like any other, and on a busy machine three starts at once could exceed it.
        // Each caller talks for 2 s and until its audio comes back.
        using var hangUp = new CancellationTokenSource();
        var calls = new List<LoopbackCall>();
        for (var i = 0; i < 3; i++)
        {
            calls.Add(await LoopbackCall.StartAsync(worker.Streams, Patience, hangUp.Token, timeout.Token));
            await calls[^1].FirstAudioAsync(timeout.Token);
        }
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        await hangUp.CancelAsync();
        var results = await Task.WhenAll(calls.Select(c => c.Result)).WaitAsync(timeout.Token);
        await stop.CancelAsync();
        await flooding;

        Assert.All(results, r => Assert.Equal(StreamEnd.CallerHungUp, r.End));
        Assert.All(calls, c => Assert.True(c.Frames.Returned > 0, "a legitimate call got no audio back"));
        // The pool was full: half the flood's sockets gave way to the other half (1013, try again later), and at least
        // one more to the first call (calls that arrive once an earlier call has left the pool find a free place).
        var evicted = floods.Sum(f => f.Closes.GetValueOrDefault(1013));
        Assert.InRange(evicted, maxTotal + 1, maxTotal + calls.Count);
    }

    private static Dictionary<string, string?> Settings(int maxConcurrent, int maxTotal, int maxPerAddress, string startTimeout = "00:00:01") => new()
    {
        ["Calls:MaxConcurrent"] = maxConcurrent.ToString(CultureInfo.InvariantCulture),
        ["Calls:PendingStreams:MaxTotal"] = maxTotal.ToString(CultureInfo.InvariantCulture),
        ["Calls:PendingStreams:MaxPerAddress"] = maxPerAddress.ToString(CultureInfo.InvariantCulture),
        ["Twilio:MediaStream:StartTimeout"] = startTimeout,
    };

    private static async Task<HttpStatusCode> ReadinessAsync(InProcessMediaWorker worker, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        return (await http.GetAsync(new Uri(worker.BaseAddress, "/health/readiness"), cancellationToken)).StatusCode;
    }
}
