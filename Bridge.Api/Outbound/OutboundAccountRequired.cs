using Bridge.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Outbound;

/// <summary>
/// With API keys the api places calls through Twilio's REST API as <c>Twilio:AccountSid</c>: the account is required
/// then, in every environment (a local AppHost sets its own), so that no accepted <c>POST /calls</c> fails at the create.
/// Its shape (<c>AC</c> + 32 hex digits) is checked by <see cref="TwilioOptions"/>' own rule.
/// </summary>
/// <remarks>Read from raw configuration: <c>Outbound</c> is validated on its own, and a failure there must not fail here too.</remarks>
internal sealed class OutboundAccountRequired(IConfiguration configuration) : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions options)
    {
        var placesCalls = configuration.GetSection($"{OutboundOptions.SectionName}:{nameof(OutboundOptions.ApiKeys)}").GetChildren().Any();
        return placesCalls && string.IsNullOrEmpty(options.AccountSid)
            ? ValidateOptionsResult.Fail("Twilio:AccountSid is required with Outbound:ApiKeys: outbound calls are placed through Twilio's REST API as this account.")
            : ValidateOptionsResult.Success;
    }
}
