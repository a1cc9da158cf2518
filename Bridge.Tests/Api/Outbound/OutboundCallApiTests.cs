using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bridge.Security;
using Bridge.Security.Sealing;
using Bridge.Tests.Support;
using static Bridge.Tests.Api.Outbound.OutboundApi;

namespace Bridge.Tests.Api.Outbound;

/// <summary>
/// <c>POST /calls</c> on the real api: who may place calls, what is refused and how (RFC 7807 bodies), that nothing
/// is dialled before every check passed, what Twilio is asked for, and that a create is never retried.
/// </summary>
public sealed class OutboundCallApiTests : IAsyncLifetime
{
    private const int Burst = 3;

    private FakeWorker _worker = null!;
    private ScriptedTwilio _twilio = null!;

    public async Task InitializeAsync()
    {
        _worker = await FakeWorker.StartAsync(ready: true);
        _twilio = await ScriptedTwilio.StartAsync(201);
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    private ApiFactory Api(ScriptedTwilio? twilio = null) => OutboundApi.Create((twilio ?? _twilio).BaseAddress, _worker)
        .With("RateLimits:OutboundCalls:PermitsPerSecond", "1")
        .With("RateLimits:OutboundCalls:Burst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_missing_or_wrong_key_gets_401_and_nobody_is_dialled()
    {
        using var api = Api();
        var client = api.CreateClient();

        var missing = await PlaceAsync(client, ValidCall(), key: null);
        var wrong = await PlaceAsync(client, ValidCall(), key: SchedulerKey[..^1] + "X");
        var basic = new HttpRequestMessage(HttpMethod.Post, "/calls") { Content = JsonContent.Create(ValidCall()) };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("scheduler:" + SchedulerKey)));
        var notBearer = await client.SendAsync(basic);

        foreach (var response in new[] { missing, wrong, notBearer })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal(401, (await ProblemAsync(response)).GetProperty("status").GetInt32());
        }
        Assert.Empty(_twilio.Creates);
        Assert.Equal(0, _worker.Asked);
    }

    [Fact]
    public async Task Bad_numbers_an_unknown_agent_and_wrong_variables_get_400_naming_each_field()
    {
        using var api = Api();
        var client = api.CreateClient();
        var call = ValidCall();
        call["to"] = "555-1234";
        call["variables"] = new Dictionary<string, string> { ["patientName"] = "Ana", ["dentist"] = "Dr Who" };

        var response = await PlaceAsync(client, call);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ProblemAsync(response)).GetProperty("errors");
        Assert.Contains("E.164", errors.GetProperty("to")[0].GetString(), StringComparison.Ordinal);
        var variables = errors.GetProperty("variables").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(variables, v => v.Contains("'dentist' is not a variable of agent 'reminders'", StringComparison.Ordinal));
        Assert.Contains(variables, v => v.Contains("'appointment' is required", StringComparison.Ordinal));

        call = ValidCall();
        call["agent"] = "nobody";
        var unknownAgent = await PlaceAsync(client, call);
        Assert.Contains("'nobody' is not an agent", (await ProblemAsync(unknownAgent)).GetProperty("errors").GetProperty("agent")[0].GetString(), StringComparison.Ordinal);

        call = ValidCall();
        call["tO"] = "+14155550100";
        var typo = await PlaceAsync(client, call);
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        Assert.Contains("tO", (await ProblemAsync(typo)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_twilio.Creates);
    }

    [Fact]
    public async Task A_caller_id_not_on_the_allow_list_gets_403()
    {
        using var api = Api();
        var call = ValidCall();
        call["from"] = "+15005550099";

        var response = await PlaceAsync(api.CreateClient(), call);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Outbound:CallerIds", (await ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_twilio.Creates);
    }

    [Theory]
    [InlineData("http://crm.example.com/outcome")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.3.7/outcome")]
    [InlineData("https://[::ffff:192.168.1.10]/outcome")]
    [InlineData("https://[fd00:ec2::254]/outcome")]
    [InlineData("https://user:password@crm.example.com/outcome")]
    [InlineData("https://metadata.google.internal/outcome")]
    [InlineData("file:///etc/passwd")]
    public async Task A_callback_url_that_is_not_public_https_is_refused(string callback)
    {
        using var api = Api();
        var call = ValidCall();
        call["statusCallback"] = callback;

        var response = await PlaceAsync(api.CreateClient(), call);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ProblemAsync(response)).GetProperty("errors").TryGetProperty("statusCallback", out _));
        Assert.Empty(_twilio.Creates);
    }

    [Fact]
    public async Task A_body_over_16_KB_gets_413()
    {
        using var api = Api();
        var call = ValidCall();
        call["padding"] = new string('x', 20_000);

        var response = await PlaceAsync(api.CreateClient(), call);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_twilio.Creates);
    }

    [Fact]
    public async Task Each_key_has_its_own_rate_limit_answered_with_429_and_Retry_After()
    {
        using var api = Api();
        var client = api.CreateClient();
        var invalid = ValidCall();
        invalid["to"] = "not a number";

        // Until the bucket is empty: it holds Burst, refilled by one a second while the requests run.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        while (limited is null && statuses.Count < Burst + 20)
        {
            var response = await PlaceAsync(client, invalid);
            statuses.Add(response.StatusCode);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }
        var otherKey = await PlaceAsync(client, invalid, CrmKey);

        Assert.All(statuses.Take(Burst), s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("scheduler", (await ProblemAsync(limited)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, otherKey.StatusCode);
    }

    /// <summary>The limit a key-guessing flood meets first, before any key is compared: answered like the key's own.</summary>
    [Fact]
    public async Task Each_client_address_has_a_rate_limit_before_the_key_answered_with_a_problem_and_Retry_After()
    {
        const int addressBurst = 3;
        using var api = Api()
            .With("RateLimits:OutboundApi:PermitsPerSecond", "1")
            .With("RateLimits:OutboundApi:Burst", addressBurst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = api.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        while (limited is null && statuses.Count < addressBurst + 20)
        {
            var response = await PlaceAsync(client, ValidCall(), key: null);
            statuses.Add(response.StatusCode);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.All(statuses.Take(addressBurst), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        var problem = await ProblemAsync(limited);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains("RateLimits:OutboundApi", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_twilio.Creates);
    }

    [Fact]
    public async Task A_full_fleet_gets_503_with_Retry_After_and_nobody_is_dialled()
    {
        _worker.Ready = false;
        using var api = Api().With("Outbound:RetryAfter", "00:00:45");

        var response = await PlaceAsync(api.CreateClient(), ValidCall());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), response.Headers.RetryAfter?.Delta);
        Assert.True(_worker.Asked >= 1);
        Assert.Empty(_twilio.Creates);
    }

    [Fact]
    public async Task Without_Outbound_Workers_the_worker_service_discovery_knows_is_asked()
    {
        _worker.Ready = false;
        using var api = Api()
            .With("Outbound:Workers", null)
            .With("services:media-worker:http:0", _worker.BaseAddress.ToString());

        var full = await PlaceAsync(api.CreateClient(), ValidCall());
        _worker.Ready = true;
        var free = await PlaceAsync(api.CreateClient(), ValidCall());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, free.StatusCode);
        Assert.Single(_twilio.Creates);
    }

    [Fact]
    public async Task A_valid_call_is_placed_with_asynchronous_machine_detection_and_answered_202_with_its_CallSid()
    {
        using var api = Api();

        var response = await PlaceAsync(api.CreateClient(), ValidCall());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/calls?callSid={ScriptedTwilio.CallSid}", response.Headers.Location?.ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(ScriptedTwilio.CallSid, body.GetProperty("callSid").GetString());
        var create = Assert.Single(_twilio.Creates);
        Assert.Equal("+14155550100", create["To"]);
        Assert.Equal(OurNumber, create["From"]);
        Assert.StartsWith(ApiFactory.PublicBaseUrl + "/webhook/outbound/answer?ctx=", create["Url"], StringComparison.Ordinal);
        Assert.StartsWith(ApiFactory.PublicBaseUrl + "/webhook/outbound/status?ctx=", create["StatusCallback"], StringComparison.Ordinal);
        Assert.StartsWith(ApiFactory.PublicBaseUrl + "/webhook/outbound/amd?ctx=", create["AsyncAmdStatusCallback"], StringComparison.Ordinal);
        Assert.Equal("initiated ringing answered completed", create["StatusCallbackEvent"]);
        Assert.Equal("DetectMessageEnd", create["MachineDetection"]);
        Assert.Equal("true", create["AsyncAmd"]);
        Assert.Equal("30", create["Timeout"]);
        // The agent's maxDuration (5 minutes in the sample).
        Assert.Equal("300", create["TimeLimit"]);
        Assert.True(create["Url"].Length < 4000, "Twilio documents 4,000 characters for a URL");
    }

    /// <summary>
    /// Once the person answers, the worker learns where the conversation goes: the operator's URL as a stream parameter
    /// sealed for this call (signed by the stream token like the rest), never in clear in the TwiML.
    /// </summary>
    [Fact]
    public async Task The_answered_calls_TwiML_gives_the_worker_the_operators_callback_sealed_for_this_call()
    {
        using var api = Api();
        Assert.Equal(HttpStatusCode.Accepted, (await PlaceAsync(api.CreateClient(), ValidCall())).StatusCode);
        var answerUrl = Assert.Single(_twilio.Creates)["Url"];
        var path = answerUrl[ApiFactory.PublicBaseUrl.Length..];
        var form = new Dictionary<string, string> { ["CallSid"] = ScriptedTwilio.CallSid, ["From"] = OurNumber, ["To"] = "+14155550100", ["CallStatus"] = "in-progress" };

        var answered = await api.CreateClient().SendAsync(TwilioTestSigner.SignedFormPost(ApiFactory.AuthToken, answerUrl, path, form));
        var twiml = await TwimlDocument.ReadAsync(answered);
        var parameters = twiml.StreamParameters();

        var seal = new ConversationCallbackParameter(ApiFactory.AuthToken);
        var sealedCallback = parameters[ConversationCallbackParameter.Name];
        Assert.Equal(new Uri("https://crm.example.com/calls/outcome"), seal.Open(sealedCallback, ScriptedTwilio.CallSid));
        Assert.Null(seal.Open(sealedCallback, "CA00000000000000000000000000000000"));
        Assert.DoesNotContain("crm.example.com", twiml.Root.ToString(), StringComparison.Ordinal);
        Assert.True(sealedCallback.Length <= 440, "Twilio allows about 500 characters per parameter");
        Assert.Equal(StreamTokenCheck.Valid, new StreamToken(ApiFactory.AuthToken, TimeProvider.System).Verify(parameters, ScriptedTwilio.CallSid));
    }

    [Theory]
    [InlineData(500, HttpStatusCode.BadGateway)]
    [InlineData(503, HttpStatusCode.BadGateway)]
    [InlineData(null, HttpStatusCode.GatewayTimeout)]
    public async Task A_create_that_fails_or_times_out_is_not_retried(int? twilioStatus, HttpStatusCode expected)
    {
        await using var failing = await ScriptedTwilio.StartAsync(twilioStatus);
        using var api = Api(failing);

        var response = await PlaceAsync(api.CreateClient(), ValidCall());

        Assert.Equal(expected, response.StatusCode);
        await ProblemAsync(response);
        Assert.Single(failing.Creates);
    }
}
