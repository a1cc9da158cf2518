using Bridge.Security;
using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// The worker acts on calls through Twilio's REST API as <c>Twilio:AccountSid</c>, and refuses streams of any other
/// account: the account is required outside Development, and wherever calls are confirmed with Twilio.
/// </summary>
/// <remarks>Read from raw configuration: the other sections are validated on their own, and a failure there must not fail here too.</remarks>
internal sealed class TwilioAccountRequired(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions options)
    {
        if (!string.IsNullOrEmpty(options.AccountSid))
        {
            return ValidateOptionsResult.Success;
        }
        if (!environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail("Twilio:AccountSid is required outside Development: Twilio's REST API is called as this account, and streams of any other are refused.");
        }
        var confirming = bool.TryParse(configuration[$"{TwilioRestOptions.SectionName}:{nameof(TwilioRestOptions.ConfirmCalls)}"], out var configured)
            ? configured
            : !string.IsNullOrEmpty(configuration[$"{PublicEndpointOptions.SectionName}:{nameof(PublicEndpointOptions.PublicBaseUrl)}"]);
        return confirming
            ? ValidateOptionsResult.Fail("Twilio:AccountSid is required to confirm calls with Twilio's REST API (Twilio:Rest:ConfirmCalls, on whenever Bridge:PublicBaseUrl is set).")
            : ValidateOptionsResult.Success;
    }
}
