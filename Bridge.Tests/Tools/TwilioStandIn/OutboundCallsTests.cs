using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bridge.Security;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Outbound;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>The stand-in's <c>POST …/Calls.json</c>: Twilio's authentication and error codes, and its signed status callbacks.</summary>
public sealed class OutboundCallsTests : IAsyncLifetime
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "0123456789abcdef0123456789abcdef";

    private readonly HttpClient _http = new();
    private readonly LiveCalls _calls = new();
    private readonly ConcurrentQueue<(string Status, bool Signed)> _statuses = new();
    private readonly TaskCompletionSource<string> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, string>> _answerFetched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private OutboundCalls _outbound = null!;
    private TwilioCallsApi _api = null!;
    private WebApplication _bridge = null!;

    public async Task InitializeAsync()
    {
        _outbound = new OutboundCalls(AccountSid, AuthToken, _http, _calls, TimeProvider.System, NullLogger<CallSimulation>.Instance);
        _api = await TwilioCallsApi.StartAsync(new Uri("http://127.0.0.1:0"), _calls, outbound: _outbound);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _bridge = builder.Build();
        var validator = new TwilioSignatureValidator(AuthToken);
        _bridge.MapPost("/answer", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            _answerFetched.TrySetResult(form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal));
            return Results.Text("<Response><Hangup/></Response>", "application/xml");
        });
        _bridge.MapPost("/status", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var signed = validator.ValidateForm(request.Scheme + "://" + request.Host + request.Path + request.QueryString, form, request.Headers["X-Twilio-Signature"]).IsValid;
            var status = form["CallStatus"].ToString();
            _statuses.Enqueue((status, signed));
            if (status is "busy" or "completed" or "failed" or "no-answer")
            {
                _final.TrySetResult(status);
            }
            return Results.NoContent();
        });
        await _bridge.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _outbound.DisposeAsync();
        await _bridge.DisposeAsync();
        _http.Dispose();
    }

    private async Task<HttpResponseMessage> CreateAsync(Dictionary<string, string> form, string password = AuthToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_api.BaseAddress, $"/2010-04-01/Accounts/{AccountSid}/Calls.json"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{password}")));
        return await _http.SendAsync(request);
    }

    private Dictionary<string, string> Call(string to) => new()
    {
        ["To"] = to,
        ["From"] = "+15005550020",
        ["Url"] = new Uri(new Uri(_bridge.Urls.First()), "/answer").ToString(),
        ["StatusCallback"] = new Uri(new Uri(_bridge.Urls.First()), "/status?ctx=abc").ToString(),
        ["StatusCallbackEvent"] = "initiated ringing answered completed",
    };

    [Fact]
    public async Task A_create_with_the_wrong_credentials_or_without_a_To_is_refused_as_Twilio_refuses_it()
    {
        var unauthenticated = await CreateAsync(Call(Callees.Person), password: "wrong");
        var call = Call(Callees.Person);
        call.Remove("To");
        var noTo = await CreateAsync(call);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(20003, JsonDocument.Parse(await unauthenticated.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, noTo.StatusCode);
        Assert.Equal(21201, JsonDocument.Parse(await noTo.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetInt32());
        Assert.Empty(_statuses);
    }

    [Fact]
    public async Task A_busy_number_is_reported_through_signed_status_callbacks()
    {
        var created = await CreateAsync(Call(Callees.Busy));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var resource = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("CA", resource.GetProperty("sid").GetString(), StringComparison.Ordinal);
        Assert.Equal("outbound-api", resource.GetProperty("direction").GetString());
        Assert.Equal("busy", await _final.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["initiated", "ringing", "busy"], _statuses.Select(s => s.Status));
        Assert.All(_statuses, s => Assert.True(s.Signed, $"the {s.Status} callback is not signed as Twilio signs"));
    }

    [Fact]
    public async Task With_synchronous_detection_the_Url_is_fetched_once_the_verdict_is_in_and_carries_it()
    {
        var call = Call(Callees.Person);
        call["MachineDetection"] = "Enable";

        var created = await CreateAsync(call);
        var fetched = await _answerFetched.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("human", fetched["AnsweredBy"]);
        Assert.Equal("outbound-api", fetched["Direction"]);
        Assert.Equal("in-progress", fetched["CallStatus"]);
        Assert.Equal("+14155550100", fetched["To"]);
        Assert.Equal("completed", await _final.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], _statuses.Select(s => s.Status));
    }
}
