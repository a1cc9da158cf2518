namespace Bridge.TwilioRest;

/// <summary>
/// Sends what the Twilio library addresses to api.twilio.com to a configured base address instead (a local fake
/// of Twilio's API); with none configured, requests go where the library sent them.
/// </summary>
public sealed class TwilioApiRedirect(Uri? baseAddress) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (baseAddress is not null && request.RequestUri is { } uri)
        {
            request.RequestUri = new Uri(baseAddress, uri.PathAndQuery);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
