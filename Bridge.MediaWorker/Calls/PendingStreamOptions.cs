using System.ComponentModel.DataAnnotations;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// The pool of WebSockets that have not yet shown a valid <c>start</c> and stream token. Section
/// <c>Calls:PendingStreams</c>. Twilio sends <c>start</c> at once, so a legitimate stream spends milliseconds here.
/// </summary>
public sealed class PendingStreamOptions : IValidatableObject
{
    public const string SectionName = "Calls:PendingStreams";

    /// <summary>Sockets waiting for <c>start</c>, in all. When full, the one that has waited longest is closed to make room.</summary>
    [Range(1, 10_000, ErrorMessage = "Calls:PendingStreams:MaxTotal must be between 1 and 10000.")]
    public int MaxTotal { get; set; } = 64;

    /// <summary>Sockets one client address (after trusted proxies; IPv6 per /64) may have waiting for <c>start</c>; beyond it 429.</summary>
    [Range(1, 10_000, ErrorMessage = "Calls:PendingStreams:MaxPerAddress must be between 1 and 10000.")]
    public int MaxPerAddress { get; set; } = 16;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxPerAddress > MaxTotal)
        {
            yield return new ValidationResult("Calls:PendingStreams:MaxPerAddress must be at most Calls:PendingStreams:MaxTotal.");
        }
    }
}
