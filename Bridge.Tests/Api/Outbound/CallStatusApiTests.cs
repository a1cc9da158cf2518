using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bridge.Security.RateLimits;
using Bridge.TwilioRest;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using static Bridge.Tests.Api.Outbound.OutboundApi;

namespace Bridge.Tests.Api.Outbound;

/// <summary>
/// <c>GET /calls?callSid=CA…</c> on the real api: a call this bridge placed as Twilio knows it; anything else 404; and
/// every failure of Twilio answered as <c>POST /calls</c> answers it, an RFC 7807 problem (never the developer page,
/// which echoes the request's Authorization header).
/// </summary>
public sealed class CallStatusApiTests : IAsyncLifetime
{
    private const string Placed = ScriptedTwilio.CallSid;
    private const string Inbound = "CA11111111111111111111111111111111";
    private const string OtherCallerId = "CA22222222222222222222222222222222";
    private const string Unknown = "CA33333333333333333333333333333333";

    private FakeWorker _worker = null!;
    private ScriptedTwilio _twilio = null!;

    public async Task InitializeAsync()
    {
        _worker = await FakeWorker.StartAsync(ready: true);
        _twilio = await ScriptedTwilio.StartAsync(201);
        _twilio.Calls[Placed] = Call(Placed, "outbound-api", from: OurNumber, to: "+14155550100");
        _twilio.Calls[Inbound] = Call(Inbound, "inbound", from: "+14155550177", to: OurNumber);
        _twilio.Calls[OtherCallerId] = Call(OtherCallerId, "outbound-api", from: "+15005550099", to: "+14155550100");
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    /// <summary>A call resource as Twilio's JSON has it (the fields the api reads).</summary>
    private static object Call(string sid, string direction, string from, string to) => new Dictionary<string, object?>
    {
        ["sid"] = sid,
        ["account_sid"] = AccountSid,
        ["status"] = "completed",
        ["answered_by"] = "human",
        ["duration"] = "9",
        ["direction"] = direction,
        ["from"] = from,
        ["to"] = to,
    };

    [Fact]
    public async Task A_call_placed_by_this_bridge_is_answered_as_Twilio_knows_it()
    {
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker);

        var response = await FetchAsync(api.CreateClient(), $"?callSid={Placed}", CrmKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(Placed, call.GetProperty("callSid").GetString());
        Assert.Equal("completed", call.GetProperty("status").GetString());
        Assert.Equal("human", call.GetProperty("answeredBy").GetString());
        Assert.Equal(9, call.GetProperty("durationSeconds").GetInt32());
        Assert.Equal("+14155550100", call.GetProperty("to").GetString());
        Assert.Equal(OurNumber, call.GetProperty("from").GetString());
        Assert.Equal("outbound-api", call.GetProperty("direction").GetString());
    }

    /// <summary>An outbound API key reads the calls the bridge could have placed, not an inbound caller's number.</summary>
    [Theory]
    [InlineData(Unknown)]
    [InlineData(Inbound)]
    [InlineData(OtherCallerId)]
    public async Task A_call_Twilio_does_not_know_or_not_placed_from_our_caller_IDs_gets_404(string callSid)
    {
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker);

        var response = await FetchAsync(api.CreateClient(), $"?callSid={callSid}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("+14155550177", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?callSid=")]
    [InlineData("?callSid=CA0123")]
    [InlineData("?callSid=../Accounts.json")]
    public async Task A_missing_or_malformed_callSid_gets_400_and_Twilio_is_not_asked(string query)
    {
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker);

        var response = await FetchAsync(api.CreateClient(), query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("callSid", (await ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _twilio.Fetches);
    }

    [Fact]
    public async Task A_missing_or_wrong_key_gets_401_and_Twilio_is_not_asked()
    {
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker);
        var client = api.CreateClient();

        foreach (var key in new[] { null, SchedulerKey[..^1] + "X" })
        {
            var response = await FetchAsync(client, $"?callSid={Placed}", key);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal(401, (await ProblemAsync(response)).GetProperty("status").GetInt32());
        }
        Assert.Equal(0, _twilio.Fetches);
    }

    /// <summary>
    /// Each fetch is a request to Twilio on the account the media worker shares: one key, from however many addresses,
    /// gets 429 over <c>RateLimits:OutboundStatus</c> before Twilio is asked, counted as the POST's per-key refusals are.
    /// </summary>
    [Fact]
    public async Task Each_key_has_its_own_status_rate_limit_answered_with_429_and_Retry_After_before_Twilio_is_asked()
    {
        const int burst = 3;
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker)
            .With("RateLimits:OutboundStatus:PermitsPerSecond", "1")
            .With("RateLimits:OutboundStatus:Burst", burst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = api.CreateClient();
        var meters = api.Services.GetRequiredService<IMeterFactory>();
        using var rateLimited = new MetricCollector<long>(meters, RateLimitMetrics.MeterName, RateLimitMetrics.RateLimitedName);
        using var requests = new MetricCollector<long>(meters, "Bridge.Api", "bridge.outbound.requests");

        // Until the bucket is empty: it holds the burst, refilled by one a second while the requests run.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        while (limited is null && statuses.Count < burst + 20)
        {
            var response = await FetchAsync(client, $"?callSid={Placed}");
            statuses.Add(response.StatusCode);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }
        var fetchesBefore = _twilio.Fetches;
        var otherKey = await FetchAsync(client, $"?callSid={Placed}", CrmKey);

        Assert.All(statuses.Take(burst), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.NotNull(limited);
        Assert.Equal(statuses.Count - 1, fetchesBefore);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        var problem = await ProblemAsync(limited);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains("scheduler", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("RateLimits:OutboundStatus", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SchedulerKey, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        var refusal = Assert.Single(rateLimited.GetMeasurementSnapshot());
        Assert.Equal("outbound-status", refusal.Tags["endpoint"]);
        Assert.Equal(1, requests.GetMeasurementSnapshot().Count(m => (string?)m.Tags["result"] == "rate-limited"));
    }

    /// <summary>
    /// For each way Twilio fails (it refuses, it limits the account, it errs, it never answers, nothing listens), the same Twilio makes
    /// <c>POST /calls</c> and <c>GET /calls</c> answer the same status, both as problems. The api runs in Development,
    /// where an unhandled exception would be the developer page with the request's headers, the API key among them.
    /// </summary>
    [Theory]
    [InlineData("400", HttpStatusCode.BadRequest)]
    [InlineData("429", HttpStatusCode.ServiceUnavailable)]
    [InlineData("500", HttpStatusCode.BadGateway)]
    [InlineData("503", HttpStatusCode.BadGateway)]
    [InlineData("no answer", HttpStatusCode.GatewayTimeout)]
    [InlineData("closed port", HttpStatusCode.GatewayTimeout)]
    public async Task A_fetch_Twilio_fails_is_answered_as_a_create_Twilio_fails(string twilio, HttpStatusCode expected)
    {
        await using var failing = twilio == "closed port" ? null : await ScriptedTwilio.StartAsync(twilio == "no answer" ? null : int.Parse(twilio, System.Globalization.CultureInfo.InvariantCulture));
        using var api = OutboundApi.Create(failing?.BaseAddress ?? ClosedPort(), _worker).WithServices(QuickFetchRetries);
        var client = api.CreateClient();

        var placed = await PlaceAsync(client, ValidCall());
        var fetched = await FetchAsync(client, $"?callSid={Placed}");

        Assert.Equal(expected, placed.StatusCode);
        Assert.Equal(expected, fetched.StatusCode);
        await ProblemAsync(placed);
        var problem = await ProblemAsync(fetched);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain(SchedulerKey, problem.ToString(), StringComparison.Ordinal);
        Assert.True(failing is null || failing.Fetches >= 1, "Twilio was not asked");
        // Only Twilio's limit on the account passes: try again later, when Outbound:RetryAfter says.
        Assert.Equal(expected == HttpStatusCode.ServiceUnavailable, placed.Headers.RetryAfter is not null);
        Assert.Equal(expected == HttpStatusCode.ServiceUnavailable, fetched.Headers.RetryAfter is not null);
    }

    /// <summary>
    /// The fetch's client with the same standard resilience pipeline as the service defaults give it (a GET may be
    /// retried), with short delays and timeouts so that a Twilio that never answers is given up on in seconds, not 30.
    /// </summary>
    private static void QuickFetchRetries(IServiceCollection services) =>
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation (as in Bridge.TwilioRest).
        services.AddHttpClient(nameof(TwilioCallControl))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.Delay = TimeSpan.FromMilliseconds(10);
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(3);
            });
#pragma warning restore EXTEXP0001

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    private static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
