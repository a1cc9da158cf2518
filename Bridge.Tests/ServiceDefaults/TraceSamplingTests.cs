using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Bridge.Tests.ServiceDefaults;

/// <summary>
/// The services' trace sampling, through their real OpenTelemetry set-up and the in-memory exporter. The spans come from
/// a source of this test's own (outside <c>Bridge.*</c>), so that other tests' tracer providers, which sample everything
/// in Development, do not sample them too.
/// </summary>
public sealed class TraceSamplingTests
{
    private const string CallSpan = "call";

    private readonly string _sourceName = "TraceSamplingTests." + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task At_ratio_0_an_ok_call_is_not_exported_and_a_failed_call_is_with_its_status()
    {
        var exported = await RunCallsAsync(ratio: "0");

        var call = Assert.Single(exported);
        Assert.Equal(CallSpan, call.OperationName);
        Assert.Equal("failed-call", call.GetTagItem("test.call"));
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.Equal("model unavailable", call.StatusDescription);
        Assert.Equal(true, call.GetTagItem("bridge.sampled_on_failure"));
    }

    [Fact]
    public async Task At_ratio_1_every_span_is_exported_and_none_is_marked_as_sampled_on_failure()
    {
        var exported = await RunCallsAsync(ratio: "1");

        Assert.Equal(
            ["call:failed-call", "call:ok-call", "model-stream:failed-call", "request:failed-call", "request:ok-call"],
            exported.Select(a => $"{a.OperationName}:{a.GetTagItem("test.call")}").Order(StringComparer.Ordinal));
        Assert.All(exported, a => Assert.Null(a.GetTagItem("bridge.sampled_on_failure")));
    }

    [Fact]
    public async Task A_failed_span_that_was_not_registered_is_not_exported_at_ratio_0()
    {
        var exported = await RunCallsAsync(ratio: "0", registerCallSpan: false);

        Assert.Empty(exported);
    }

    [Theory]
    [InlineData("Development", 1.0)]
    [InlineData("Production", TraceSamplingOptions.ProductionTraceSampleRatio)]
    public void Without_a_setting_the_ratio_depends_on_the_environment(string environment, double expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.ConfigureOpenTelemetry();
        using var host = builder.Build();

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<TraceSamplingOptions>>().Value.TraceSampleRatio);
    }

    /// <summary>
    /// Two calls shaped as in the media worker: a request span, its call span, and (for the failed call) a model stream
    /// span under the call. Returns what the exporter received.
    /// </summary>
    private async Task<List<Activity>> RunCallsAsync(string ratio, bool registerCallSpan = true)
    {
        var exported = new List<Activity>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Telemetry:TraceSampleRatio"] = ratio });
        builder.ConfigureOpenTelemetry();
        if (registerCallSpan)
        {
            builder.AlwaysExportWhenFailed(CallSpan);
        }
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(_sourceName).AddInMemoryExporter(exported));
        using var host = builder.Build();
        await host.StartAsync();

        using (var source = new ActivitySource(_sourceName))
        {
            using (source.StartActivity("request", ActivityKind.Server)?.SetTag("test.call", "ok-call"))
            using (source.StartActivity(CallSpan, ActivityKind.Server)?.SetTag("test.call", "ok-call"))
            {
            }

            using (source.StartActivity("request", ActivityKind.Server)?.SetTag("test.call", "failed-call"))
            using (var call = source.StartActivity(CallSpan, ActivityKind.Server)?.SetTag("test.call", "failed-call"))
            {
                using (source.StartActivity("model-stream", ActivityKind.Client)?.SetTag("test.call", "failed-call"))
                {
                }
                call?.SetStatus(ActivityStatusCode.Error, "model unavailable");
            }
        }

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        await host.StopAsync();
        // The services' set-up also listens to HttpClient and ASP.NET Core spans, which tests running alongside create.
        return [.. exported.Where(a => a.Source.Name == _sourceName)];
    }
}
