using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.EndToEnd;

/// <summary>What the AppHost gives its resources when run locally, as they receive it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class LocalRunSettingsTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("api")]
    [InlineData("media-worker")]
    [InlineData("nova-emulator")]
    public async Task Locally_a_service_does_not_retry_telemetry_exports_so_it_stops_at_once_after_the_dashboard(string resource)
    {
        var environment = await EnvironmentOf(resource);

        Assert.True(environment.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"), "the service exports to the dashboard");
        Assert.False(environment.ContainsKey("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"),
            "a retried export to a stopped dashboard keeps the service from exiting for the exporter's 10 s timeout");
    }

    [Fact]
    public void The_http_only_services_need_no_development_certificate_so_none_is_missed()
    {
        // Aspire gives every project the development certificate unless told not to; without a trusted one (a fresh
        // machine, CI) it warns at start and shows an error banner on every dashboard page.
        Assert.DoesNotContain(fixture.AppHostLogs.Collector.GetSnapshot(), entry => entry.Message.Contains("development certificate", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<Dictionary<string, string>> EnvironmentOf(string name)
    {
        var resource = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(fixture.App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
    }
}
