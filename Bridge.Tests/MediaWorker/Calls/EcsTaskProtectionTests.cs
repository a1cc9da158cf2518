using System.Net;
using System.Text.Json;
using Bridge.MediaWorker.Calls;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class EcsTaskProtectionTests
{
    /// <summary>Stands in for the ECS agent's task-protection endpoint: records each state it is asked for.</summary>
    private sealed class EcsAgent : HttpMessageHandler
    {
        public List<(string Path, JsonElement Body)> Requests { get; } = [];
        public SemaphoreSlim Received { get; } = new(0);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
            lock (Requests)
            {
                Requests.Add((request.Method + " " + request.RequestUri!.AbsolutePath, body));
            }
            Received.Release();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }

    [Fact]
    public async Task The_task_is_protected_while_calls_are_live_and_released_when_idle()
    {
        var agent = new EcsAgent();
        var registry = new CallRegistry(Options.Create(new CallOptions()), new ReadinessState(), NullLogger<CallRegistry>.Instance);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [EcsTaskProtection.AgentUriVariable] = "http://169.254.170.2/v4/abc" })
            .Build();
        using var protection = new EcsTaskProtection(registry, new HttpClient(agent), configuration, TimeProvider.System, NullLogger<EcsTaskProtection>.Instance);
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
