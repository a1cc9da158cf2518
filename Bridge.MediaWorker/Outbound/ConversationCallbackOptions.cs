using System.ComponentModel.DataAnnotations;

namespace Bridge.MediaWorker.Outbound;

/// <summary>
/// The worker's part of outbound calls: signing the conversation callback it sends the operator when an outbound
/// call's conversation ends (docs/outbound.md). Section <c>Outbound</c>, shared with the api's settings of the same names.
/// </summary>
public sealed class ConversationCallbackOptions : IValidatableObject
{
    public const string SectionName = "Outbound";

    /// <summary>The api's rule for the secret: a random secret, 32 characters at least.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>
    /// Signs the conversation callbacks, as the api signs its outcome callbacks (the same secret). Unset: outbound calls
    /// reach the worker as any call, and no conversation callback is sent (each such call logs why). Secret.
    /// </summary>
    public string? CallbackSecret { get; set; }

    /// <summary>
    /// The most transcript text a conversation callback carries: the opening half and the latest half of the call are
    /// kept, the turns between only counted. 0 sends no turns at all (counts, tools and tokens still go).
    /// </summary>
    [Range(0, 200_000, ErrorMessage = "Outbound:TranscriptCharacters must be between 0 (no transcript) and 200000.")]
    public int TranscriptCharacters { get; set; } = 20_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CallbackSecret is { } secret && secret.Length < MinimumSecretLength)
        {
            yield return new ValidationResult($"Outbound:CallbackSecret must be at least {MinimumSecretLength} characters (the api's secret that signs operators' callbacks).");
        }
    }
}
