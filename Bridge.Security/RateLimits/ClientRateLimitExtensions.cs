using Bridge.Security.RateLimits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class ClientRateLimitExtensions
{
    /// <summary>
    /// Registers a per-client limit as a rate limiter policy named <see cref="ClientRateLimit.PolicyName"/>, its settings
    /// bound from <see cref="ClientRateLimit.SectionName"/> over its defaults and validated at start.
    /// </summary>
    public static TBuilder AddClientRateLimit<TBuilder>(this TBuilder builder, ClientRateLimit limit) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ClientRateLimitOptions>(limit.PolicyName)
            .Configure(options =>
            {
                options.PermitsPerSecond = limit.DefaultPermitsPerSecond;
                options.Burst = limit.DefaultBurst;
            })
            .BindValidated(builder.Configuration.GetSection(limit.SectionName));
        builder.Services.AddSingleton<IValidateOptions<ClientRateLimitOptions>>(new ClientRateLimitValidation(limit));

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<RateLimitMetrics>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IServiceProvider>((rateLimiter, services) =>
            rateLimiter.AddPolicy(limit.PolicyName, new ClientRateLimitPolicy(
                limit,
                services.GetRequiredService<IOptionsMonitor<ClientRateLimitOptions>>().Get(limit.PolicyName),
                services.GetRequiredService<RateLimitMetrics>(),
                new RateLimitRefusalLog(
                    limit.PolicyName,
                    services.GetRequiredService<ILoggerFactory>().CreateLogger<ClientRateLimitPolicy>(),
                    services.GetRequiredService<TimeProvider>()))));
        return builder;
    }

    /// <summary>
    /// Applies the per-client limits. Call after <c>UseTrustedForwardedHeaders</c>, so that behind the load balancer the
    /// client is the caller and not the balancer.
    /// </summary>
    public static WebApplication UseClientRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Puts the endpoints under <paramref name="limit"/>, checked before anything the endpoints do.</summary>
    public static TBuilder RequireClientRateLimit<TBuilder>(this TBuilder builder, ClientRateLimit limit) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(limit.PolicyName);
}
