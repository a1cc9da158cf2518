using System.ComponentModel.DataAnnotations;

namespace Bridge.TwilioRest;

/// <summary>
/// How the services reach Twilio's REST API (the worker confirms, hangs up and transfers calls; the api places outbound
/// calls and redirects them after answering machine detection). Section <c>Twilio:Rest</c>.
/// </summary>
public sealed class TwilioRestOptions : IValidatableObject
{
    public const string SectionName = "Twilio:Rest";

    /// <summary>Replaces https://api.twilio.com, e.g. with a local fake of Twilio's API for tests. Empty: the real one.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Before a call reaches the model, ask Twilio that it exists on <c>Twilio:AccountSid</c> and is in progress, so a
    /// stream token replayed for a call that is over opens nothing. Unset: on whenever <c>Bridge:PublicBaseUrl</c> is set.
    /// </summary>
    public bool? ConfirmCalls { get; set; }

    /// <summary>How long confirming a call may take; past it the stream is refused (the caller hears the apology).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:00:30", ErrorMessage = "Twilio:Rest:ConfirmTimeout must be between 500 ms and 30 seconds.")]
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long placing an outbound call may take. Past it the api answers 504: the call may or may not have been placed,
    /// and it is not retried (a create is not idempotent).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:30", ErrorMessage = "Twilio:Rest:CreateTimeout must be between 1 and 30 seconds.")]
    public TimeSpan CreateTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseAddress is { IsAbsoluteUri: false } or { Scheme: not ("http" or "https") })
        {
            yield return new ValidationResult("Twilio:Rest:BaseAddress must be an absolute http(s) URL.");
        }
    }
}
