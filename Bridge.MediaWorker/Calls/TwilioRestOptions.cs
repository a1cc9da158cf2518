using System.ComponentModel.DataAnnotations;

namespace Bridge.MediaWorker.Calls;

/// <summary>How the worker reaches Twilio's REST API (hang up, transfer). Section <c>Twilio:Rest</c>.</summary>
public sealed class TwilioRestOptions : IValidatableObject
{
    public const string SectionName = "Twilio:Rest";

    /// <summary>Replaces https://api.twilio.com, e.g. with a local fake of Twilio's API for tests. Empty: the real one.</summary>
    public Uri? BaseAddress { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseAddress is { IsAbsoluteUri: false } or { Scheme: not ("http" or "https") })
        {
            yield return new ValidationResult("Twilio:Rest:BaseAddress must be an absolute http(s) URL.");
        }
    }
}
