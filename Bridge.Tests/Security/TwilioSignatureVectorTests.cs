using System.Net;
using System.Text;
using Bridge.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Security;

/// <summary>
/// Every signature vector through the real validation filter (HTTP) and the real upgrade check (WebSocket), on
/// a host whose public base URL is the vector's: Twilio signed the public URL, the host sees its own.
/// </summary>
public sealed class TwilioSignatureVectorTests
{
    [Theory]
    [MemberData(nameof(VectorNames))]
    public async Task Each_signature_vector_is_accepted_or_refused_as_Twilio_would(string name)
    {
        var vector = TwilioSignatureVector.Named(name);
        var url = new Uri(vector.Url);
        await using var host = await StartHostAsync(vector.AuthToken, new Uri(PublicBase(url)));
        using var client = host.GetTestClient();

        var response = await client.SendAsync(RequestFor(vector, url));

        Assert.Equal(vector.Valid ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_request_without_a_signature_is_refused()
    {
        var vector = TwilioSignatureVector.Named("voice-webhook");
        var url = new Uri(vector.Url);
        await using var host = await StartHostAsync(vector.AuthToken, new Uri(PublicBase(url)));
        using var client = host.GetTestClient();
        var request = RequestFor(vector, url);
        request.Headers.Remove(TwilioSignatureValidator.HeaderName);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_valid_signature_fails_when_the_host_does_not_know_its_public_url()
    {
        // The classic failure behind a load balancer: the app sees http://internal, Twilio signed https://public.
        var vector = TwilioSignatureVector.Named("voice-webhook");
        await using var host = await StartHostAsync(vector.AuthToken, publicBaseUrl: null);
        using var client = host.GetTestClient();

        var response = await client.SendAsync(RequestFor(vector, new Uri(vector.Url)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public static TheoryData<string> VectorNames() => TwilioSignatureVector.Names();

    private static string PublicBase(Uri url) =>
        (url.Scheme is "wss" ? "https" : url.Scheme) + "://" + url.Authority;

    private static HttpRequestMessage RequestFor(TwilioSignatureVector vector, Uri url)
    {
        var request = new HttpRequestMessage(new HttpMethod(vector.Method), url.PathAndQuery);
        if (vector.Form is { } form)
        {
            request.Content = new FormUrlEncodedContent(form);
        }
        else if (vector.Body is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8, vector.ContentType ?? "application/json");
        }
        request.Headers.Add(TwilioSignatureValidator.HeaderName, vector.Signature);
        return request;
    }

    private static async Task<WebApplication> StartHostAsync(string authToken, Uri? publicBaseUrl)
    {
        // Development: the vectors' tokens are not 32 hex digits, and one host is tested without a public URL.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["Twilio:AuthToken"] = authToken;
        if (publicBaseUrl is not null)
        {
            builder.Configuration["Bridge:PublicBaseUrl"] = publicBaseUrl.ToString();
        }
        builder.AddTwilioSecurity();

        var app = builder.Build();
        app.MapGet("/media", (HttpContext context, TwilioSignatureValidator validator, PublicUrl publicUrl) =>
            context.CheckTwilioUpgrade(validator, publicUrl).IsValid ? Results.Ok() : Results.StatusCode(StatusCodes.Status403Forbidden));
        app.MapPost("/{**path}", () => Results.Ok()).ValidateTwilioRequest();
        await app.StartAsync();
        return app;
    }
}
