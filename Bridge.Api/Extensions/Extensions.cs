using Bridge.Api.Telemetry;
using Bridge.Api.Twiml;
using Bridge.Security;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddTwilioSecurity();
        builder.AddReadinessState();

        builder.Services.AddValidatedOptions<CallFallbackOptions>(builder.Configuration, CallFallbackOptions.SectionName);

        builder.Services.AddSingleton<MediaStreamAddress>();
        builder.Services.AddSingleton<WebhookMetrics>();
    }
}
