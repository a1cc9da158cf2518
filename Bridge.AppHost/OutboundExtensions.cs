using Bridge.TwilioStandIn.Outbound;

namespace Bridge.AppHost;

/// <summary>
/// The api's outbound call API (docs/outbound.md). Deployed, its key, callback secret and caller ID are parameters (the
/// key and the secret from Secrets Manager). Run locally, the key and the secret are generated once and kept in the
/// AppHost's user secrets (<c>Parameters:outbound-api-key</c>), the sample agents' numbers are the caller IDs, Twilio's
/// REST API is the call simulator's (which places the calls), and the sample backend receives the outcomes.
/// </summary>
internal static class OutboundExtensions
{
    public const string ApiKeyParameter = "outbound-api-key";
    public const string CallbackSecretParameter = "outbound-callback-secret";
    public const string CallerIdParameter = "outbound-caller-id";

    /// <summary>The local API key's name (<c>Outbound:ApiKeys:local</c>); deployed, <c>primary</c>.</summary>
    public const string LocalKeyName = "local";

    /// <summary>The sample profiles' numbers: the reminders agent's first, the order desk's.</summary>
    public static readonly string[] LocalCallerIds = ["+15005550020", "+15005550010"];

    public sealed record Settings(IResourceBuilder<ParameterResource> ApiKey, IResourceBuilder<ParameterResource> CallbackSecret);

    public static Settings WithOutboundCalls(this IResourceBuilder<ProjectResource> api, IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            var key = builder.AddParameter(ApiKeyParameter, secret: true);
            var secret = builder.AddParameter(CallbackSecretParameter, secret: true);
            api.WithEnvironment("Outbound__ApiKeys__primary", key)
                .WithEnvironment("Outbound__CallbackSecret", secret)
                .WithEnvironment("Outbound__CallerIds__0", builder.AddParameter(CallerIdParameter));
            return new Settings(key, secret);
        }

        var localKey = builder.AddParameter(ApiKeyParameter, new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);
        var localSecret = builder.AddParameter(CallbackSecretParameter, new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);
        api.WithEnvironment($"Outbound__ApiKeys__{LocalKeyName}", localKey)
            .WithEnvironment("Outbound__CallbackSecret", localSecret);
        for (var i = 0; i < LocalCallerIds.Length; i++)
        {
            api.WithEnvironment($"Outbound__CallerIds__{i}", LocalCallerIds[i]);
        }
        return new Settings(localKey, localSecret);
    }

    /// <summary>Numbers the stand-in answers in a known way, for the dashboard's outbound test calls.</summary>
    public static string PersonNumber => Callees.Person;

    public static string VoicemailNumber => Callees.Machine;
}
