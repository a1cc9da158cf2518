using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Bridge.Api.Outbound;

/// <summary>The outbound call API: who may place calls, from which numbers, and where outcomes are signed. Section <c>Outbound</c>.</summary>
public sealed partial class OutboundOptions : IValidatableObject
{
    public const string SectionName = "Outbound";

    /// <summary>A key shorter than this is refused: it is a bearer secret that spends money.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>
    /// API keys by name (<c>Outbound:ApiKeys:scheduler</c>; on ECS from Secrets Manager). Several, so that one can be
    /// rotated while another serves; the name (never the key) appears in logs, metrics and callbacks. None: every
    /// <c>POST /calls</c> is refused with 401.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Our numbers (E.164) a call may show as its caller ID; any other is refused with 403.</summary>
    public string[] CallerIds { get; set; } = [];

    /// <summary>Signs the callbacks sent to operators (HMAC-SHA256, as the HTTP tools sign). Required with API keys. Secret.</summary>
    public string? CallbackSecret { get; set; }

    /// <summary>How long a call rings before it counts as not answered (Twilio's <c>Timeout</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:02:00", ErrorMessage = "Outbound:RingTimeout must be between 5 seconds and 2 minutes.")]
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where the media workers are asked whether one can take a call: a URL whose host name resolves to every worker task
    /// (on ECS the Cloud Map name, <c>http://media-worker.bridge.internal:8080</c>). Unset: the worker(s) service discovery
    /// knows (a local AppHost's).
    /// </summary>
    public Uri? Workers { get; set; }

    /// <summary>How long asking the workers for a free slot may take; past it the fleet counts as full.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:10", ErrorMessage = "Outbound:CapacityTimeout must be between 100 ms and 10 seconds.")]
    public TimeSpan CapacityTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What a 503 tells the operator to wait before trying again when no worker has a free slot.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Outbound:RetryAfter must be between 1 second and 10 minutes.")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, key) in ApiKeys)
        {
            if (!KeyName().IsMatch(name))
            {
                yield return new ValidationResult($"Outbound:ApiKeys:{name}: a key's name must be 1-40 letters, digits, '-' or '_'.");
            }
            if (key is null || key.Length < MinimumKeyLength)
            {
                yield return new ValidationResult($"Outbound:ApiKeys:{name} must be at least {MinimumKeyLength} characters (a random secret).");
            }
        }
        if (ApiKeys.Values.Where(k => k is not null).GroupBy(k => k, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            yield return new ValidationResult("Outbound:ApiKeys: two names share one key; give each its own.");
        }
        if (ApiKeys.Count > 0 && (CallbackSecret is null || CallbackSecret.Length < MinimumKeyLength))
        {
            yield return new ValidationResult($"Outbound:CallbackSecret is required with Outbound:ApiKeys: at least {MinimumKeyLength} characters that sign the callbacks operators receive.");
        }
        foreach (var number in CallerIds.Where(n => !E164().IsMatch(n ?? "")))
        {
            yield return new ValidationResult($"Outbound:CallerIds has '{number}', which is not an E.164 number (+15551234567).");
        }
        if (Workers is { } workers && (!workers.IsAbsoluteUri || workers.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Outbound:Workers must be an absolute http(s) URL, such as http://media-worker.bridge.internal:8080.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex KeyName();

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    internal static partial Regex E164();
}
