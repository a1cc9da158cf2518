using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bridge.Security;

/// <summary>
/// What a service facing the public needs once it is not a developer's own (any environment but Development): the
/// https URL Twilio dials, so that no request is checked against a Host of the caller's choosing, and a real Twilio
/// auth token (32 hex digits). Development keeps the AppHost's values and a service reached without a public URL working.
/// </summary>
internal sealed partial class OutsideDevelopmentRules(IHostEnvironment environment)
    : IValidateOptions<TwilioOptions>, IValidateOptions<PublicEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Skip;
        }
        // An empty token is reported by its own [Required] rule.
        return options.AuthToken.Length > 0 && !AuthToken().IsMatch(options.AuthToken)
            ? ValidateOptionsResult.Fail($"Twilio:AuthToken must be the account's auth token, 32 hex digits (outside Development; this one has {options.AuthToken.Length} characters).")
            : ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, PublicEndpointOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Skip;
        }
        if (options.PublicBaseUrl is null)
        {
            return ValidateOptionsResult.Fail(
                "Bridge:PublicBaseUrl is required outside Development: the https URL Twilio dials, which every signature is checked against.");
        }
        // Any other problem with the URL is reported by its own rule.
        return options.PublicBaseUrl is { IsAbsoluteUri: true, Scheme: "http" }
            ? ValidateOptionsResult.Fail("Bridge:PublicBaseUrl must be https outside Development: Twilio dials media streams over wss:// only.")
            : ValidateOptionsResult.Success;
    }

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex AuthToken();
}
