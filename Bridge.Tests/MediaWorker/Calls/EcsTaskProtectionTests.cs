using System.Net;
using System.Text.Json;
using Bridge.MediaWorker.Calls;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class EcsTaskProtectionTests
{
    /// <summary>Stands in for the ECS agent's task-protection endpoint: records each state it is asked for.</summary>
    private sealed class EcsAgent(TimeProvider? time = null) : HttpMessageHandler
    {
        public List<(string Path, JsonElement Body)> Requests { get; } = [];
        public List<DateTimeOffset> ReceivedAt { get; } = [];
        public SemaphoreSlim Received { get; } = new(0);

        /// <summary>How many of the next requests to fail, as after the HTTP client's own retries.</summary>
        public int FailNext { get; set; }

        /// <summary>What a failing request throws; without it, it is answered 503.</summary>
        public Exception? FailWith { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
            var failed = false;
            lock (Requests)
            {
                Requests.Add((request.Method + " " + request.RequestUri!.AbsolutePath, body));
                ReceivedAt.Add((time ?? TimeProvider.System).GetUtcNow());
                if (FailNext > 0)
                {
                    FailNext--;
                    failed = true;
                }
            }
            Received.Release();
            if (failed && FailWith is not null)
            {
                throw FailWith;
            }
            return failed
                ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }

    private static IConfiguration OnEcs() => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [EcsTaskProtection.AgentUriVariable] = "http://169.254.170.2/v4/abc" })
        .Build();

    /// <summary>Moves fake time on a second at a time until the agent gets another request (or a fake minute passes).</summary>
    private static async Task<bool> AdvanceUntilRequestAsync(FakeTimeProvider time, EcsAgent agent)
    {
        for (var second = 0; second < 60; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            if (await agent.Received.WaitAsync(TimeSpan.FromMilliseconds(100)))
            {
                return true;
            }
        }
        return false;
    }

    [Fact]
    public async Task A_failed_protection_is_asked_again_after_a_short_delay_while_the_call_count_stays_the_same()
    {
        var time = new FakeTimeProvider();
        var agent = new EcsAgent(time) { FailNext = 1 };
        var registry = new CallRegistry(Options.Create(new CallOptions()), new ReadinessState(), NullLogger<CallRegistry>.Instance);
        using var protection = new EcsTaskProtection(registry, new HttpClient(agent), OnEcs(), time, NullLogger<EcsTaskProtection>.Instance);
        await protection.StartAsync(CancellationToken.None);

        using var lease = registry.TryAdmit()!;
        Assert.True(await agent.Received.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(protection.Protected);

        // One long call, nothing else happening: only the clock can bring the retry.
        Assert.True(await AdvanceUntilRequestAsync(time, agent), "no retry within a fake minute of the failure");
        var retryAfter = agent.ReceivedAt[1] - agent.ReceivedAt[0];
        Assert.InRange(retryAfter, EcsTaskProtection.RetryAfterFailure, EcsTaskProtection.RetryAfterFailure + TimeSpan.FromSeconds(30));
        Assert.True(agent.Requests[1].Body.GetProperty("ProtectionEnabled").GetBoolean());
        Assert.True(SpinWait.SpinUntil(() => protection.Protected, TimeSpan.FromSeconds(5)));
        await protection.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_agent_the_resilience_pipeline_gives_up_on_is_asked_again_and_the_service_keeps_running()
    {
        var time = new FakeTimeProvider();
        var agent = new EcsAgent(time) { FailNext = 1, FailWith = new Polly.Timeout.TimeoutRejectedException() };
        var registry = new CallRegistry(Options.Create(new CallOptions()), new ReadinessState(), NullLogger<CallRegistry>.Instance);
        using var protection = new EcsTaskProtection(registry, new HttpClient(agent), OnEcs(), time, NullLogger<EcsTaskProtection>.Instance);
        await protection.StartAsync(CancellationToken.None);

        using var lease = registry.TryAdmit()!;
        Assert.True(await agent.Received.WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.True(await AdvanceUntilRequestAsync(time, agent), "no retry within a fake minute of the timeout");
        Assert.True(SpinWait.SpinUntil(() => protection.Protected, TimeSpan.FromSeconds(5)));
        Assert.False(protection.ExecuteTask!.IsFaulted);
        await protection.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task After_a_failure_a_change_in_the_call_count_is_still_acted_on_at_once()
    {
        var time = new FakeTimeProvider();
        var agent = new EcsAgent(time) { FailNext = 1 };
        var registry = new CallRegistry(Options.Create(new CallOptions()), new ReadinessState(), NullLogger<CallRegistry>.Instance);
        using var protection = new EcsTaskProtection(registry, new HttpClient(agent), OnEcs(), time, NullLogger<EcsTaskProtection>.Instance);
        await protection.StartAsync(CancellationToken.None);

        using var first = registry.TryAdmit()!;
        Assert.True(await agent.Received.WaitAsync(TimeSpan.FromSeconds(5)));
        using var second = registry.TryAdmit()!;

        Assert.True(await agent.Received.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(agent.ReceivedAt[0], agent.ReceivedAt[1]);
        Assert.True(agent.Requests[1].Body.GetProperty("ProtectionEnabled").GetBoolean());
        await protection.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_task_is_protected_while_calls_are_live_and_released_when_idle()
    {
        var agent = new EcsAgent();
        var registry = new CallRegistry(Options.Create(new CallOptions()), new ReadinessState(), NullLogger<CallRegistry>.Instance);
        using var protection = new EcsTaskProtection(registry, new HttpClient(agent), OnEcs(), TimeProvider.System, NullLogger<EcsTaskProtection>.Instance);
        await protection.StartAsync(CancellationToken.None);

        var lease = registry.TryAdmit()!;
        Assert.True(await agent.Received.WaitAsync(TimeSpan.FromSeconds(5)));
        lease.Dispose();
        Assert.True(await agent.Received.WaitAsync(TimeSpan.FromSeconds(5)));
        await protection.StopAsync(CancellationToken.None);

        Assert.Equal(2, agent.Requests.Count);
        Assert.Equal("PUT /v4/abc/task-protection/v1/state", agent.Requests[0].Path);
        Assert.True(agent.Requests[0].Body.GetProperty("ProtectionEnabled").GetBoolean());
        Assert.Equal(EcsTaskProtection.ExpiresInMinutes, agent.Requests[0].Body.GetProperty("ExpiresInMinutes").GetInt32());
        Assert.False(agent.Requests[1].Body.GetProperty("ProtectionEnabled").GetBoolean());
    }

    [Fact]
    public async Task Outside_ECS_nothing_is_asked()
    {
        var agent = new EcsAgent();
        var registry = new CallRegistry(Options.Create(new CallOptions()), new ReadinessState(), NullLogger<CallRegistry>.Instance);
        using var protection = new EcsTaskProtection(registry, new HttpClient(agent), new ConfigurationBuilder().Build(), TimeProvider.System, NullLogger<EcsTaskProtection>.Instance);
        await protection.StartAsync(CancellationToken.None);

        using (registry.TryAdmit())
        {
            Assert.False(await agent.Received.WaitAsync(TimeSpan.FromMilliseconds(300)));
        }
        await protection.StopAsync(CancellationToken.None);

        Assert.Empty(agent.Requests);
    }
}
