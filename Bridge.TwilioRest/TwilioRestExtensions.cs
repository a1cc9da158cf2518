using Bridge.Security;
using Bridge.TwilioRest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class TwilioRestExtensions
{
    /// <summary>
    /// Twilio's REST API as the configured account (<c>Twilio:AccountSid</c>, <c>Twilio:AuthToken</c>), at
    /// <c>Twilio:Rest:BaseAddress</c> when set: <see cref="TwilioCallControl"/> (fetch, hang up, update a call) over the
    /// standard resilient HttpClient, and <see cref="TwilioCallCreation"/> over one that never retries a POST.
    /// Call <c>AddTwilioSecurity</c> too (it binds <c>Twilio</c>).
    /// </summary>
    public static TBuilder AddTwilioRest<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<TwilioRestOptions>(builder.Configuration, TwilioRestOptions.SectionName);

        builder.Services.AddHttpClient(nameof(TwilioCallControl))
            .AddHttpMessageHandler(sp => new TwilioApiRedirect(sp.GetRequiredService<IOptions<TwilioRestOptions>>().Value.BaseAddress));
        builder.Services.AddSingleton(sp => new TwilioCallControl(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TwilioCallControl)),
            sp.GetRequiredService<IOptions<TwilioOptions>>().Value.AuthToken,
            sp.GetRequiredService<IOptions<TwilioOptions>>().Value.AccountSid,
            sp.GetRequiredService<ILogger<TwilioCallControl>>()));

        // The service defaults give every client the standard handler, whose retry covers POSTs: here it is replaced by
        // one that retries no unsafe method (a create that reached Twilio and then failed would dial twice).
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation; a test checks that no create is retried.
        builder.Services.AddHttpClient(TwilioCallCreation.HttpClientName)
            .AddHttpMessageHandler(sp => new TwilioApiRedirect(sp.GetRequiredService<IOptions<TwilioRestOptions>>().Value.BaseAddress))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler()
            .Configure((options, services) =>
            {
                options.Retry.DisableForUnsafeHttpMethods();
                var timeout = CreateTimeout(services.GetRequiredService<IConfiguration>());
                options.AttemptTimeout.Timeout = timeout;
                options.TotalRequestTimeout.Timeout = timeout + TimeSpan.FromSeconds(5);
                // The breaker samples at least two attempts' worth of time (the handler's own rule).
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(options.CircuitBreaker.SamplingDuration.Ticks, timeout.Ticks * 2));
            });
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton(sp => new TwilioCallCreation(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(TwilioCallCreation.HttpClientName),
            sp.GetRequiredService<IOptions<TwilioOptions>>().Value.AuthToken,
            sp.GetRequiredService<IOptions<TwilioOptions>>().Value.AccountSid));
        return builder;
    }

    /// <summary>
    /// <c>Twilio:Rest:CreateTimeout</c> as configured, read raw: the resilience options are validated at start too, and a
    /// bad value must be reported once, by <see cref="TwilioRestOptions"/>' own validation (this one then takes the default).
    /// </summary>
    private static TimeSpan CreateTimeout(IConfiguration configuration)
    {
        var fallback = new TwilioRestOptions().CreateTimeout;
        return TimeSpan.TryParse(configuration[$"{TwilioRestOptions.SectionName}:{nameof(TwilioRestOptions.CreateTimeout)}"], System.Globalization.CultureInfo.InvariantCulture, out var configured)
            && configured >= TimeSpan.FromSeconds(1) && configured <= TimeSpan.FromSeconds(30)
                ? configured
                : fallback;
    }
}
