using System.Net;
using Bridge.Tests.Api;
using Bridge.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bridge.Tests.ServiceDefaults;

/// <summary>The memory check as a service reports it on /health/readiness (the api here; the worker shares the code).</summary>
public sealed class MemoryReadinessTests : IDisposable
{
    private const long Available = 1000L * 1024 * 1024;

    private readonly SettableProcessMemory _memory = new();
    private readonly ApiFactory _factory = new ApiFactory()
        .With("Health:Memory:DegradedHeapPercent", "50")
        .With("Health:Memory:UnhealthyWorkingSetPercent", "70");

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Readiness_is_degraded_past_the_heap_threshold_and_unready_past_the_working_set_threshold()
    {
        using var api = _factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton<IProcessMemory>(_memory)));
        var client = api.CreateClient();

        _memory.Set(heapMb: 100, workingSetMb: 200, Available);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ReadinessAsync(client));

        _memory.Set(heapMb: 500, workingSetMb: 600, Available);
        Assert.Equal((HttpStatusCode.OK, "Degraded"), await ReadinessAsync(client));

        _memory.Set(heapMb: 500, workingSetMb: 700, Available);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await ReadinessAsync(client));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/liveness")).StatusCode);
    }

    private static async Task<(HttpStatusCode, string)> ReadinessAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health/readiness");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
