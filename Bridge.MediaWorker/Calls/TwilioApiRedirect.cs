namespace Bridge.MediaWorker.Calls;

/// <summary>Sends what the Twilio library addresses to api.twilio.com to a configured base address instead.</summary>
public sealed class TwilioApiRedirect(Uri baseAddress) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri)
        {
            request.RequestUri = new Uri(baseAddress, uri.PathAndQuery);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
