using System.Net;
using Aspire.Hosting.Testing;
using Bridge.Security;
using Bridge.Tests.Api;
using Bridge.Tests.Support;

namespace Bridge.Tests.EndToEnd;

[Collection(AppHostCollection.Name)]
public sealed class WebhookThroughAppHostTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_signed_webhook_gets_TwiML_whose_stream_reaches_the_media_worker()
    {
        using var api = fixture.App.CreateHttpClient("api");
        var webhookUrl = new Uri(api.BaseAddress!, "/webhook").ToString();

        var response = await api.SendAsync(TwilioTestSigner.SignedFormPost(AppHostFixture.AuthToken, webhookUrl, "/webhook", WebhookForms.IncomingCall()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = await TwimlDocument.ReadAsync(response);
        var streamUrl = new Uri((string)twiml.Single("Stream").Attribute("url")!);
        var worker = fixture.App.GetEndpoint("media-worker", "http");
        Assert.Equal("ws", streamUrl.Scheme);
        Assert.Equal(worker.Authority, streamUrl.Authority);
        Assert.Equal("/media", streamUrl.AbsolutePath);

        using var plain = new HttpClient();
        var readiness = await plain.GetAsync(new Uri($"http://{streamUrl.Authority}/health/readiness"));
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);

        var parameters = twiml.StreamParameters();
        Assert.Equal(StreamTokenCheck.Valid, new StreamToken(AppHostFixture.AuthToken, TimeProvider.System).Verify(parameters, WebhookForms.CallSid));
    }

    [Fact]
    public async Task An_unsigned_webhook_is_forbidden_through_the_AppHost()
    {
        using var api = fixture.App.CreateHttpClient("api");

        var response = await api.PostAsync("/webhook", new FormUrlEncodedContent(WebhookForms.IncomingCall()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("media-worker")]
    public async Task Both_services_answer_liveness_and_readiness(string resource)
    {
        using var client = fixture.App.CreateHttpClient(resource);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/liveness")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/readiness")).StatusCode);
    }
}
