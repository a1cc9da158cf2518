using Bridge.Api.Agents;
using Bridge.Api.Telemetry;
using Bridge.Api.Twiml;
using Bridge.Security;
using Bridge.Security.RateLimits;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddTwilioSecurity();
        builder.AddReadinessState();
        builder.AddClientRateLimit(ClientRateLimit.Webhooks);

        builder.Services.AddValidatedOptions<CallFallbackOptions>(builder.Configuration, CallFallbackOptions.SectionName);

        builder.Services.AddSingleton<MediaStreamAddress>();
        builder.Services.AddSingleton<WebhookMetrics>();

        builder.AddAgentProfiles();
        builder.Services.AddSingleton<CallAgentSelection>();
    }
}
