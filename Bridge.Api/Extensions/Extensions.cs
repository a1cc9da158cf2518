using Bridge.Api.Agents;
using Bridge.Api.Outbound;
using Bridge.Api.Telemetry;
using Bridge.Api.Twiml;
using Bridge.Security;
using Bridge.Security.RateLimits;
using Bridge.Security.Sealing;
using Microsoft.Extensions.Options;

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
        builder.Services.AddSingleton<StreamConnection>();

        builder.AddOutboundCalls();
    }

    /// <summary>The outbound call API and the webhooks of outbound calls (docs/outbound.md).</summary>
    private static void AddOutboundCalls(this IHostApplicationBuilder builder)
    {
        builder.AddTwilioRest();
        builder.AddClientRateLimit(OutboundLimits.Addresses);
        builder.AddClientRateLimit(OutboundLimits.PerKey);
        builder.AddClientRateLimit(OutboundLimits.StatusPerKey);
        builder.Services.AddValidatedOptions<OutboundOptions>(builder.Configuration, OutboundOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<TwilioOptions>>(new OutboundAccountRequired(builder.Configuration));
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddSingleton<ApiKeyRateLimits>();
        builder.Services.AddSingleton<PlaceCallValidation>();
        builder.Services.AddSingleton<WorkerCapacity>();
        builder.Services.AddSingleton<OutboundContextCodec>();
        builder.Services.AddSingleton<ConversationCallbackParameter>();
        builder.Services.AddSingleton<OutboundCallPlacement>();
        builder.Services.AddSingleton<OutboundMetrics>();
        builder.Services.AddSingleton<OperatorCallbacks>();
    }
}
