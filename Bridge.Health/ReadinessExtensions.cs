using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class ReadinessExtensions
{
    /// <summary>
    /// Registers the service's <see cref="ReadinessState"/> as a readiness check, and marks it ready once the
    /// host has started (and not ready once it begins to stop).
    /// </summary>
    public static TBuilder AddReadinessState<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<ReadinessState>();
        builder.Services.AddHealthChecks().AddCheck<ReadinessState>("readiness", tags: [HealthTags.Ready]);
        return builder;
    }

    public static WebApplication UseReadinessLifecycle(this WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<ReadinessState>();
        app.Lifetime.ApplicationStarted.Register(readiness.MarkReady);
        app.Lifetime.ApplicationStopping.Register(() => readiness.MarkNotReady("stopping"));
        return app;
    }
}
