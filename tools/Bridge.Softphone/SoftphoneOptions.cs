using System.ComponentModel.DataAnnotations;

namespace Bridge.Softphone;

/// <summary>Section <c>Softphone</c>: where the browser's calls go. The AppHost sets all of it in local runs.</summary>
public sealed class SoftphoneOptions : IValidatableObject
{
    public const string SectionName = "Softphone";

    /// <summary>What the REST API of live calls is served at when not configured (where a local AppHost points the worker).</summary>
    public const string DefaultRestApi = "http://127.0.0.1:5099";

    /// <summary>The api's voice webhook, called as Twilio calls it.</summary>
    [Required(ErrorMessage = "Softphone:WebhookUrl is required: the api's voice webhook (http://…/webhook).")]
    public Uri? WebhookUrl { get; set; }

    /// <summary>The media worker, whose Development call event feed gives the transcript; none: no transcript.</summary>
    public Uri? CallEventsUrl { get; set; }

    /// <summary>Where Twilio's REST API for the softphone's calls is served (the worker's hang-up and transfer); <c>off</c>.</summary>
    public string RestApi { get; set; } = DefaultRestApi;

    /// <summary>A call is hung up after this long, whatever happens.</summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The caller's number, as the webhook sees it.</summary>
    public string From { get; set; } = "+14155550123";

    /// <summary>The number called.</summary>
    public string To { get; set; } = "+15005550006";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookUrl is { } webhook && (!webhook.IsAbsoluteUri || webhook.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"Softphone:WebhookUrl must be an absolute http(s) URL, not '{webhook}'.");
        }
        if (CallEventsUrl is { } events && (!events.IsAbsoluteUri || events.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"Softphone:CallEventsUrl must be an absolute http(s) URL, not '{events}'.");
        }
        if (RestApi != "off" && !(Uri.TryCreate(RestApi, UriKind.Absolute, out var rest) && rest.Scheme == "http" && rest.IsLoopback))
        {
            yield return new ValidationResult($"Softphone:RestApi must be an http:// loopback address such as {DefaultRestApi}, or off; not '{RestApi}'.");
        }
        if (MaxCallDuration <= TimeSpan.Zero || MaxCallDuration > TimeSpan.FromHours(4))
        {
            yield return new ValidationResult("Softphone:MaxCallDuration must be above zero and at most 4 hours.");
        }
    }
}
