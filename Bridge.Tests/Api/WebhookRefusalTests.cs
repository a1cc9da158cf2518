using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Bridge.Security.RateLimits;
using Bridge.Security.Refusals;
using Bridge.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Diagnostics.Metrics;

namespace Bridge.Tests.Api;

/// <summary>What the webhooks refuse, and how a flood of refusals is reported.</summary>
public sealed class WebhookRefusalTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    /// <summary>
    /// Twilio signs a JSON request's URL alone, with the body's hash in it. Replaying that URL and signature with an
    /// empty body (and no content type) must still be checked against the hash: it was taken as a signed empty form.
    /// </summary>
    [Fact]
    public async Task A_json_signed_url_replayed_with_an_empty_body_is_forbidden()
    {
        const string body = """{"StreamEvent":"stream-started"}""";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var path = "/webhook/stream-status?bodySHA256=" + hash;
        var signature = TwilioTestSigner.Sign(ApiFactory.AuthToken, ApiFactory.PublicBaseUrl + path, []);
        var client = _factory.CreateClient();

        var empty = new HttpRequestMessage(HttpMethod.Post, path);
        empty.Headers.Add("X-Twilio-Signature", signature);
        var withBody = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        withBody.Headers.Add("X-Twilio-Signature", signature);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(empty)).StatusCode);
        // The same URL and signature with the body they were made for pass the check (the handler wants a form: 400).
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(withBody)).StatusCode);
    }

    [Fact]
    public async Task A_flood_of_forged_webhooks_is_counted_each_and_warned_about_once_per_interval()
    {
        using var logs = new FakeLoggerProvider();
        using var factory = _factory.WithWebHostBuilder(web => web.ConfigureLogging(logging => logging.AddProvider(logs)));
        var client = factory.CreateClient();
        using var refused = new MetricCollector<long>(factory.Services.GetRequiredService<IMeterFactory>(), RateLimitMetrics.MeterName, RequestRefusals.RefusedName);

        for (var i = 0; i < 50; i++)
        {
            var request = TwilioTestSigner.SignedFormPost("0123456789abcdef0123456789abcdef", ApiFactory.PublicBaseUrl + "/webhook", "/webhook", WebhookForms.IncomingCall());
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(50, refused.Sum("reason", "signature"));
        var warning = Assert.Single(logs.Collector.GetSnapshot(), e => e.Level >= LogLevel.Warning);
        Assert.Contains("Refusing a Twilio request (signature): 1 refused since the last report", warning.Message, StringComparison.Ordinal);
    }
}
