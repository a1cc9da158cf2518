using System.ComponentModel.DataAnnotations;

namespace Bridge.Api.Twiml;

/// <summary>What a caller hears when the assistant cannot take the call. Section <c>Bridge</c>.</summary>
public sealed class CallFallbackOptions
{
    public const string SectionName = "Bridge";

    /// <summary>Said when the media stream failed or the worker refused the call.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Bridge:ApologyMessage must not be empty.")]
    public string ApologyMessage { get; set; } = "Sorry, our assistant cannot take your call right now. Please try again later.";

    /// <summary>A number (E.164) or SIP URI to transfer the caller to instead of hanging up. Optional.</summary>
    [RegularExpression(@"^(\+[1-9]\d{6,14}|sips?:\S+)$", ErrorMessage = "Bridge:FallbackNumber must be an E.164 number (+15551234567) or a sip: URI.")]
    public string? FallbackNumber { get; set; }
}
