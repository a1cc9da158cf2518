using System.ComponentModel.DataAnnotations;

namespace Bridge.Bedrock;

/// <summary>Where and how the Bedrock Runtime is reached. Section <c>Bedrock</c>.</summary>
public sealed class BedrockOptions : IValidatableObject
{
    public const string SectionName = "Bedrock";
    public const string DefaultModelId = "amazon.nova-2-sonic-v1:0";

    /// <summary>The AWS region hosting the model; the bidirectional stream does not work cross-region.</summary>
    public string Region { get; set; } = "";

    public string ModelId { get; set; } = DefaultModelId;

    /// <summary>
    /// Overrides the regional endpoint (e.g. the local emulator, <c>http://localhost:5090</c>). When unset, the
    /// SDK-standard environment variables <c>AWS_ENDPOINT_URL_BEDROCK_RUNTIME</c>, then <c>AWS_ENDPOINT_URL</c>, apply.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>How long to wait for the response headers of a new stream before calling the attempt failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Bedrock:OpenTimeout must be between 1 second and 1 minute.")]
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long events may wait unwritten (the connection or the service not taking them) before the stream is called
    /// stalled and failed as retryable, so the conversation moves to a new stream. Also bounds what a call can queue.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Bedrock:InputStallTimeout must be between 100 milliseconds and 1 minute.")]
    public TimeSpan InputStallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Region))
        {
            yield return new ValidationResult("Bedrock:Region is required (a region that hosts the model, such as us-east-1).");
        }
        else if (!IsRegionName(Region))
        {
            yield return new ValidationResult($"Bedrock:Region '{Region}' is not a region name such as us-east-1.");
        }

        if (string.IsNullOrWhiteSpace(ModelId))
        {
            yield return new ValidationResult($"Bedrock:ModelId must not be empty (the default is {DefaultModelId}).");
        }

        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult("Bedrock:Endpoint must be an absolute http(s) URL, such as http://localhost:5090.");
        }
    }

    private static bool IsRegionName(string region) =>
        region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && region.Contains('-');
}
