using System.ComponentModel.DataAnnotations;

namespace Bridge.NovaSonic;

/// <summary>How the assistant converses. Section <c>Conversation</c>.</summary>
public sealed class NovaSonicOptions : IValidatableObject
{
    public const string SectionName = "Conversation";

    /// <summary>A Nova 2 Sonic voice; the host checks it against the voices it knows (the agent profiles' list).</summary>
    public string Voice { get; set; } = "matthew";

    public string SystemPrompt { get; set; } =
        "You are a friendly phone assistant. Keep your answers short and conversational; the caller hears you, never reads you.";

    /// <summary>An instruction sent as interactive text when the call starts, so the assistant speaks first. Empty: wait for the caller.</summary>
    public string Greeting { get; set; } = "";

    /// <summary>Nova 2 turn detection: HIGH ends turns soonest, LOW waits longest.</summary>
    public string EndpointingSensitivity { get; set; } = "MEDIUM";

    [Range(1, 10_000, ErrorMessage = "Conversation:MaxTokens must be between 1 and 10000.")]
    public int MaxTokens { get; set; } = 1024;

    [Range(0.0, 1.0, ErrorMessage = "Conversation:TopP must be between 0 and 1.")]
    public double TopP { get; set; } = 0.9;

    [Range(0.0, 1.0, ErrorMessage = "Conversation:Temperature must be between 0 and 1.")]
    public double Temperature { get; set; } = 0.7;

    /// <summary>When a stream is replaced by a new one carrying the conversation so far (Bedrock ends streams at about 8 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:07:30", ErrorMessage = "Conversation:RenewStreamAfter must be between 1 second and 7 minutes 30 seconds.")]
    public TimeSpan RenewStreamAfter { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>How long a due renewal waits for a quiet moment (no model audio in flight, no tool running) before it goes anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:30", ErrorMessage = "Conversation:RenewalQuietWait must be between 0 and 90 seconds.")]
    public TimeSpan RenewalQuietWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The latest a renewal may go, quiet or not: each bound alone allows 9 minutes together, past the ~8 minutes after
    /// which Bedrock ends the stream itself (the caller then hears the answer cut and a recovery instead of a renewal).
    /// </summary>
    private static readonly TimeSpan LatestRenewal = TimeSpan.FromSeconds(450);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(SystemPrompt))
        {
            yield return new ValidationResult("Conversation:SystemPrompt must not be empty.");
        }
        if (EndpointingSensitivity is not ("HIGH" or "MEDIUM" or "LOW"))
        {
            yield return new ValidationResult("Conversation:EndpointingSensitivity must be HIGH, MEDIUM or LOW.");
        }
        if (RenewStreamAfter + RenewalQuietWait > LatestRenewal)
        {
            yield return new ValidationResult(
                "Conversation:RenewStreamAfter plus Conversation:RenewalQuietWait must be at most 7 minutes 30 seconds (Bedrock ends a stream at about 8 minutes).");
        }
    }
}
