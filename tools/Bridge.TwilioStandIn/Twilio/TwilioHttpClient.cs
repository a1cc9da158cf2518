using System.Net.Http.Headers;

namespace Bridge.TwilioStandIn.Twilio;

/// <summary>
/// Makes the HTTP requests Twilio makes about a call, signed with the account's auth token: a POST carries the
/// parameters as a form (signed with them); a GET carries them in the query string (the full URL is signed). The URL
/// signed is the one given; the request goes where <paramref name="routes"/> lead it.
/// </summary>
public sealed class TwilioHttpClient(HttpClient http, string authToken, PublicRoutes? routes = null)
{
    public async Task<TwilioHttpResponse> SendAsync(
        Uri url,
        HttpMethod method,
        IReadOnlyList<KeyValuePair<string, string>> parameters,
        CancellationToken cancellationToken)
    {
        HttpRequestMessage request;
        if (method == HttpMethod.Get)
        {
            var query = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            var target = url.AbsoluteUri + (string.IsNullOrEmpty(url.Query) ? "?" : "&") + query;
            request = new HttpRequestMessage(HttpMethod.Get, Route(new Uri(target)));
            request.Headers.Add(TwilioRequestSigner.HeaderName, TwilioRequestSigner.SignForm(authToken, target, []));
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Post, Route(url)) { Content = new FormUrlEncodedContent(parameters) };
            request.Headers.Add(TwilioRequestSigner.HeaderName, TwilioRequestSigner.SignForm(authToken, url.AbsoluteUri, parameters));
        }
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("TwilioProxy", "1.1"));
        request.Headers.Accept.ParseAdd("*/*");

        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                return new TwilioHttpResponse((int)response.StatusCode, body);
            }
            catch (HttpRequestException e)
            {
                throw new TwilioCallException(TwilioErrorCodes.HttpRetrievalFailure, $"{method} {url} failed: {e.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TwilioCallException(TwilioErrorCodes.HttpRetrievalFailure, $"{method} {url} timed out");
            }
        }
    }

    private Uri Route(Uri url) => routes?.Resolve(url) ?? url;
}

public sealed record TwilioHttpResponse(int StatusCode, string Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
