using System.Net;
using System.Text;
using Bridge.Security;
using Bridge.Tests.Support;

namespace Bridge.Tests.Api;

public sealed class WebhookEndpointTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private Task<HttpResponseMessage> PostSignedAsync(string path, Dictionary<string, string> form) =>
        _factory.CreateClient().SendAsync(
            TwilioTestSigner.SignedFormPost(ApiFactory.AuthToken, ApiFactory.PublicBaseUrl + path, path, form));

    [Fact]
    public async Task A_signed_call_is_connected_to_the_media_stream_at_the_public_url()
    {
        var response = await PostSignedAsync("/webhook", WebhookForms.IncomingCall());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = await TwimlDocument.ReadAsync(response);
        Assert.Equal(["Connect"], twiml.VerbNames());
        Assert.Equal("https://voice.example.com/webhook/connect-ended", (string?)twiml.Single("Connect").Attribute("action"));
        var stream = twiml.Single("Stream");
        Assert.Equal("wss://voice.example.com/media", (string?)stream.Attribute("url"));
        Assert.Equal("https://voice.example.com/webhook/stream-status", (string?)stream.Attribute("statusCallback"));
    }

    [Fact]
    public async Task The_stream_parameters_carry_the_call_and_a_token_the_worker_can_verify()
    {
        var response = await PostSignedAsync("/webhook", WebhookForms.IncomingCall());

        var parameters = (await TwimlDocument.ReadAsync(response)).StreamParameters();
        Assert.Equal(WebhookForms.CallSid, parameters["callSid"]);
        Assert.Equal("+14155552671", parameters["from"]);
        Assert.Equal("+15005550006", parameters["to"]);
        var verifier = new StreamToken(ApiFactory.AuthToken, TimeProvider.System);
        Assert.Equal(StreamTokenCheck.Valid, verifier.Verify(parameters, WebhookForms.CallSid));
        Assert.Equal(StreamTokenCheck.BadSignature, verifier.Verify(parameters.With("from", "+1999"), WebhookForms.CallSid));
    }

    [Fact]
    public async Task The_stream_token_expires_after_the_configured_lifetime()
    {
        _factory.With("Bridge:StreamTokenLifetime", "00:00:30");
        var response = await PostSignedAsync("/webhook", WebhookForms.IncomingCall());

        var token = (await TwimlDocument.ReadAsync(response)).StreamParameters()["token"];
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(token.Split('.')[1]));
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task Without_a_public_url_the_stream_points_at_the_host_that_was_called()
    {
        _factory.With("Bridge:PublicBaseUrl", null);
        var client = _factory.CreateClient();
        var form = WebhookForms.IncomingCall();

        var response = await client.SendAsync(TwilioTestSigner.SignedFormPost(ApiFactory.AuthToken, "http://localhost/webhook", "/webhook", form));

        var twiml = await TwimlDocument.ReadAsync(response);
        Assert.Equal("ws://localhost/media", (string?)twiml.Single("Stream").Attribute("url"));
    }

    [Fact]
    public async Task An_unsigned_webhook_is_forbidden()
    {
        var response = await _factory.CreateClient().PostAsync("/webhook", new FormUrlEncodedContent(WebhookForms.IncomingCall()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_webhook_is_forbidden()
    {
        var form = WebhookForms.IncomingCall();
        var request = TwilioTestSigner.SignedFormPost(ApiFactory.AuthToken, ApiFactory.PublicBaseUrl + "/webhook", "/webhook", form);
        request.Content = new FormUrlEncodedContent(form.With("From", "+14155550000"));

        var response = await _factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_webhook_without_a_call_sid_is_a_bad_request()
    {
        var form = WebhookForms.IncomingCall();
        form.Remove("CallSid");

        var response = await PostSignedAsync("/webhook", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_before_it_is_read()
    {
        var form = WebhookForms.IncomingCall();
        form["Padding"] = new string('x', 100_000);

        var response = await PostSignedAsync("/webhook", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_neither_a_form_nor_json_is_unsupported()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new StringContent("CallSid=CA1", Encoding.UTF8, "text/plain") };
        request.Headers.Add("X-Twilio-Signature", "irrelevant");

        var response = await _factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("stream-started")]
    [InlineData("stream-stopped")]
    [InlineData("stream-error")]
    public async Task Stream_status_callbacks_are_recorded(string streamEvent)
    {
        var response = await PostSignedAsync("/webhook/stream-status", StreamStatusForm(streamEvent));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_stream_event_is_a_bad_request()
    {
        var response = await PostSignedAsync("/webhook/stream-status", StreamStatusForm("stream-exploded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_call_that_is_over_when_its_stream_ends_is_simply_hung_up()
    {
        var response = await PostSignedAsync("/webhook/connect-ended", WebhookForms.ConnectEnded("completed"));

        Assert.Equal(["Hangup"], (await TwimlDocument.ReadAsync(response)).VerbNames());
    }

    [Fact]
    public async Task A_call_still_up_when_its_stream_ends_hears_an_apology_then_the_line_closes()
    {
        var response = await PostSignedAsync("/webhook/connect-ended", WebhookForms.ConnectEnded("in-progress"));

        var twiml = await TwimlDocument.ReadAsync(response);
        Assert.Equal(["Say", "Hangup"], twiml.VerbNames());
        Assert.Contains("Sorry", twiml.Single("Say").Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_still_up_when_its_stream_ends_is_transferred_to_the_fallback_number()
    {
        _factory.With("Bridge:FallbackNumber", "+15005550001").With("Bridge:ApologyMessage", "One moment, connecting you to a person.");

        var response = await PostSignedAsync("/webhook/connect-ended", WebhookForms.ConnectEnded("in-progress"));

        var twiml = await TwimlDocument.ReadAsync(response);
        Assert.Equal(["Say", "Dial"], twiml.VerbNames());
        Assert.Equal("One moment, connecting you to a person.", twiml.Single("Say").Value);
        Assert.Equal("+15005550001", twiml.Single("Dial").Value.Trim());
    }

    private static Dictionary<string, string> StreamStatusForm(string streamEvent) => new()
    {
        ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["CallSid"] = WebhookForms.CallSid,
        ["StreamSid"] = "MZ0123456789abcdef0123456789abcdef",
        ["StreamEvent"] = streamEvent,
        ["StreamError"] = streamEvent == "stream-error" ? "31920 handshake failed" : "",
        ["StreamName"] = "bridge",
        ["Timestamp"] = "2026-01-15T12:00:00.000Z",
    };
}
