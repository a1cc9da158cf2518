using System.Globalization;
using Bridge.Audio;
using Bridge.HttpTools.Callbacks;
using Bridge.MediaWorker.Agents;
using Bridge.MediaWorker.Calls;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.MediaWorker.Outbound;
using Bridge.NovaSonic;
using Bridge.TwilioMedia;
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
        builder.AddClientRateLimit(ClientRateLimit.MediaStreams);
        builder.AddNovaSonic();
        builder.Services.AddSingleton<IValidateOptions<NovaSonicOptions>, NovaVoiceValidation>();
        builder.AlwaysExportWhenFailed(CallHost.CallSpanName);

        builder.Services.AddValidatedOptions<AudioOptions>(builder.Configuration, AudioOptions.SectionName);
        builder.Services.AddValidatedOptions<TwilioStreamOptions>(builder.Configuration, TwilioStreamOptions.SectionName);
        builder.Services.AddValidatedOptions<CallOptions>(builder.Configuration, CallOptions.SectionName);
        builder.Services.AddValidatedOptions<PendingStreamOptions>(builder.Configuration, PendingStreamOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<TwilioOptions>>(new TwilioAccountRequired(builder.Environment, builder.Configuration));

        builder.Services.AddSingleton<CallRegistry>();
        builder.Services.AddSingleton<PendingStreams>();
        builder.Services.AddSingleton<StreamClaims>();
        builder.Services.AddSingleton<CallConfirmation>();
        builder.Services.AddSingleton<StreamAdmission>();
        builder.Services.AddSingleton<MediaStreamRefusals>();
        builder.Services.AddSingleton<CallTelemetry>();
        builder.Services.AddSingleton<WorkerResourceGauges>();
        builder.Services.AddSingleton<CallFactory>();
        builder.Services.AddSingleton<CallHost>();
        builder.Services.AddHostedService<CallDrainService>();
        builder.Services.AddHttpClient<EcsTaskProtection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EcsTaskProtection>());

        // The host must wait for the drain: calls get Calls:DrainTimeout, then a little to say goodbye. Read from raw
        // configuration: the host builds its options before the start-up validation reports a bad value in one line.
        var drainTimeout = TimeSpan.TryParse(builder.Configuration["Calls:DrainTimeout"], CultureInfo.InvariantCulture, out var configured)
            ? configured
            : new CallOptions().DrainTimeout;
        // Then conversation callbacks still under way get their own bounded wait.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = drainTimeout + TimeSpan.FromSeconds(15) + ConversationCallbackDelivery.DefaultDrainWait);

        builder.AddCallEventFeed();
        builder.AddTwilioRest();
        builder.Services.AddSingleton<ICallTool, HangUpTool>();
        builder.Services.AddSingleton<ICallTool, TransferCallTool>();

        builder.AddAgentProfiles();
        builder.AddHttpTools();
        builder.Services.AddSingleton<AgentResolver>();
        builder.AddConversationCallbacks();
    }

    /// <summary>The conversation callbacks of outbound calls (docs/outbound.md): signed like the api's, after the call.</summary>
    private static void AddConversationCallbacks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ConversationCallbackOptions>(builder.Configuration, ConversationCallbackOptions.SectionName);
        builder.Services.AddSingleton<ConversationCallbackParameter>();
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSingleton(_ => new ConversationCallbackDelivery(
            new SignedCallbackClient(allowLoopback: development), new CallbackRetryPolicy(), ConversationCallbackDelivery.DefaultDrainWait));
        builder.Services.AddSingleton<ConversationCallbacks>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConversationCallbacks>());
    }
}
