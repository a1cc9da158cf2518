using System.ComponentModel.DataAnnotations;

namespace Bridge.Security;

/// <summary>The Twilio account the bridge serves. Section <c>Twilio</c>.</summary>
public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    /// <summary>Signs every webhook and WebSocket upgrade Twilio sends, and (derived) the stream token. Secret.</summary>
    [Required(ErrorMessage = "Twilio:AuthToken is required: the auth token of the Twilio account, used to check Twilio's signatures.")]
    public string AuthToken { get; set; } = "";

    [RegularExpression("^AC[0-9a-fA-F]{32}$", ErrorMessage = "Twilio:AccountSid must look like AC followed by 32 hex digits.")]
    public string? AccountSid { get; set; }
}
