using System.ComponentModel.DataAnnotations;

namespace Bridge.Security;

/// <summary>How the service is reached from outside. Section <c>Bridge</c>.</summary>
public sealed class PublicEndpointOptions : IValidatableObject
{
    public const string SectionName = "Bridge";

    /// <summary>
    /// The https URL Twilio dials (the load balancer's or the tunnel's). When set, every signature is checked
    /// against it; required behind a load balancer that terminates TLS.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Proxies (IP addresses or CIDR networks) whose X-Forwarded-* headers are believed. Loopback always is.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>How long a stream token issued by the webhook stays valid for the WebSocket to present it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00", ErrorMessage = "Bridge:StreamTokenLifetime must be between 5 seconds and 10 minutes.")]
    public TimeSpan StreamTokenLifetime { get; set; } = TimeSpan.FromSeconds(60);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is { } url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                yield return new ValidationResult("Bridge:PublicBaseUrl must be an absolute http(s) URL, such as https://voice.example.com.");
            }
            else if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
            {
                yield return new ValidationResult("Bridge:PublicBaseUrl must not carry a query string or fragment.");
            }
        }

        foreach (var proxy in TrustedProxies)
        {
            if (!TrustedProxyList.TryParse(proxy, out _))
            {
                yield return new ValidationResult($"Bridge:TrustedProxies has '{proxy}', which is neither an IP address nor a CIDR network.");
            }
        }
    }
}
