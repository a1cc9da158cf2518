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

        builder.Services.AddOptions<CallFallbackOptions>()
            .Bind(builder.Configuration.GetSection(CallFallbackOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<MediaStreamAddress>();
        builder.Services.AddSingleton<WebhookMetrics>();
    }
}
