using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service of the bridge shares: OpenTelemetry, health endpoints, service discovery and the
/// standard resilience handler for outgoing HTTP.
/// </summary>
public static class Extensions
{
    public const string LivenessPath = "/health/liveness";
    public const string ReadinessPath = "/health/readiness";
    public const string LiveTag = HealthTags.Live;
    public const string ReadyTag = HealthTags.Ready;

    /// <summary>The meter and activity source names of the bridge's own instrumentation.</summary>
    public const string BridgeTelemetryPrefix = "Bridge.";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.AddTraceSamplingOptions();
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                // On .NET 9+ this is the runtime's own System.Runtime meter: dotnet.gc.*, dotnet.thread_pool.*, dotnet.process.memory.*.
                .AddRuntimeInstrumentation()
                .AddMeter(BridgeTelemetryPrefix + "*"))
            .WithTracing(tracing => tracing
                .AddTraceSampling()
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(BridgeTelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    aspNetCore.Filter = context => !IsHealthRequest(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<MemoryHealthOptions>(builder.Configuration, MemoryHealthOptions.SectionName);
        builder.Services.TryAddSingleton<IProcessMemory, ProcessMemory>();
        builder.Services.AddSingleton<MemoryHealthRule>();
        builder.Services.AddSingleton<MemoryHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<MemoryHealthCheck>("memory", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health/liveness</c> (the process answers) and <c>/health/readiness</c> (the service can take
    /// work: every check tagged <c>ready</c> passes) in every environment: ECS and the load balancer need them.
    /// They answer only at their own path as sent, never through a public prefix and a <c>..</c>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseHealthPathsAsSent(IsHealthRequest);
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains(LiveTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }

    private static bool IsHealthRequest(PathString path) =>
        path.StartsWithSegments(LivenessPath) || path.StartsWithSegments(ReadinessPath);
}
