using System.Net;
using Aspire.Hosting.Testing;
using Bridge.TwilioStandIn.Twilio;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// The worker's Development call event feed as the AppHost turns it on for the softphone: served, but only to a
/// request signed with the account's auth token.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class CallEventFeedThroughAppHostTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData(null)]
    [InlineData("not-the-account-token-0123456789ab")]
    public async Task A_request_not_signed_with_the_auth_token_is_refused(string? signingToken)
    {
        using var http = new HttpClient();
        using var request = Request(signingToken);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_request_watches_the_call_as_server_sent_events()
    {
        using var http = new HttpClient();
        using var request = Request(AppHostFixture.AuthToken);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    private HttpRequestMessage Request(string? signingToken)
    {
        var url = new Uri(fixture.App.GetEndpoint("media-worker", "http"), "/development/calls/CA0123456789abcdef0123456789abcdef/events");
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (signingToken is not null)
        {
            request.Headers.Add(TwilioRequestSigner.HeaderName, TwilioRequestSigner.SignForm(signingToken, url.AbsoluteUri, []));
        }
        return request;
    }
}
