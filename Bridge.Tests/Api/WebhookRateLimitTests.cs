using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using System.Net;
using Bridge.Security.RateLimits;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Api;

/// <summary>
/// The webhooks' per-client limit, seen from behind a trusted proxy (the load balancer at 10.0.0.5) that names each
/// client in X-Forwarded-For.
/// </summary>
public sealed class WebhookRateLimitTests : IDisposable
{
    private const string LoadBalancer = "10.0.0.5";
    private const string Abuser = "203.0.113.7";
    private const string Twilio = "198.51.100.9";
    private const int Burst = 5;

    private readonly ApiFactory _factory = new ApiFactory()
        .With("Bridge:TrustedProxies:0", "10.0.0.0/24")
        .With("RateLimits:Webhooks:PermitsPerSecond", "1")
        .With("RateLimits:Webhooks:Burst", Burst.ToString());

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_burst_over_the_limit_gets_429_before_its_signature_is_checked_while_another_client_is_served()
    {
        using var rateLimited = Record();
        var abuser = ClientBehind(LoadBalancer, forwardedFor: Abuser);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Burst * 2; i++)
        {
            statuses.Add((await abuser.PostAsync("/webhook", new FormUrlEncodedContent(WebhookForms.IncomingCall()))).StatusCode);
        }

        // Unsigned: the first burst reaches the signature check (403); what follows is refused before it (429). At most
        // one token can be refilled while the burst runs, which lets at most one more request through.
        Assert.All(statuses.Take(Burst), status => Assert.Equal(HttpStatusCode.Forbidden, status));
        var refused = statuses.Skip(Burst).Count(status => status == HttpStatusCode.TooManyRequests);
        Assert.InRange(refused, Burst - 1, Burst);
        Assert.Equal(refused, rateLimited.Sum("endpoint", ClientRateLimit.Webhooks.PolicyName));

        var twilio = ClientBehind(LoadBalancer, forwardedFor: Twilio);
        var answered = await twilio.SendAsync(SignedCall());
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task A_refused_request_is_told_when_to_retry()
    {
        var abuser = ClientBehind(LoadBalancer, forwardedFor: Abuser);

        HttpResponseMessage response;
        var attempts = 0;
        do
        {
            response = await abuser.SendAsync(SignedCall());
        }
        while (response.StatusCode != HttpStatusCode.TooManyRequests && ++attempts < Burst * 3);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("RateLimits:Webhooks", problem, StringComparison.Ordinal);
        // The status's definition, as every other problem of the api has (ASP.NET Core gives none to 429).
        Assert.Equal(TooManyRequestsProblem.Type, System.Text.Json.JsonDocument.Parse(problem).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_client_that_is_not_a_trusted_proxy_cannot_escape_its_limit_with_forwarded_headers()
    {
        using var rateLimited = Record();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Burst * 2; i++)
        {
            // A different "client" each time, claimed by an address that is not a trusted proxy: ignored.
            var client = ClientBehind(Abuser, forwardedFor: $"192.0.2.{i + 1}");
            statuses.Add((await client.SendAsync(SignedCall())).StatusCode);
        }

        Assert.InRange(statuses.Count(status => status == HttpStatusCode.TooManyRequests), Burst - 1, Burst);
        Assert.Equal(statuses.Count(status => status == HttpStatusCode.TooManyRequests), rateLimited.Total());
    }

    private MetricCollector<long> Record() =>
        new(_factory.Services.GetRequiredService<IMeterFactory>(), RateLimitMetrics.MeterName, RateLimitMetrics.RateLimitedName);

    /// <summary>A client whose connection comes from <paramref name="remoteAddress"/>, carrying X-Forwarded-For.</summary>
    private HttpClient ClientBehind(string remoteAddress, string forwardedFor)
    {
        var handler = _factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress));
        var client = new HttpClient(handler) { BaseAddress = new Uri("http://localhost") };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    private static HttpRequestMessage SignedCall() =>
        TwilioTestSigner.SignedFormPost(ApiFactory.AuthToken, ApiFactory.PublicBaseUrl + "/webhook", "/webhook", WebhookForms.IncomingCall());
}
