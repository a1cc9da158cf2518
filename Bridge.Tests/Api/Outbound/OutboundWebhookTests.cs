using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Bridge.HttpTools;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static Bridge.Tests.Api.Outbound.OutboundApi;

namespace Bridge.Tests.Api.Outbound;

/// <summary>
/// Twilio's requests about an outbound call, sent as Twilio sends them (signed, to the URLs the create gave it): the
/// detection's verdict and what Twilio is then told to do with the call (docs/outbound.md, "Person or machine"), and the
/// final status, whose outcome reaches the operator's callback, signed (docs/outbound.md, "Outcomes").
/// </summary>
public sealed class OutboundWebhookTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string Callee = "+14155550100";

    private FakeWorker _worker = null!;
    private ScriptedTwilio _twilio = null!;
    private OperatorCallbackReceiver _operator = null!;

    public async Task InitializeAsync()
    {
        _worker = await FakeWorker.StartAsync(ready: true);
        _twilio = await ScriptedTwilio.StartAsync(201);
        _twilio.Calls[ScriptedTwilio.CallSid] = new { sid = ScriptedTwilio.CallSid, status = "in-progress" };
        _operator = await OperatorCallbackReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _twilio.DisposeAsync();
        await _operator.DisposeAsync();
    }

    [Fact]
    public async Task A_fax_is_hung_up_on_and_reported_as_fax()
    {
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker);
        var client = api.CreateClient();
        var create = await PlaceAsync(client, agent: "reminders");

        var statusCallback = await DetectedAsync(client, create, "fax");
        var outcome = await EndedAsync(client, statusCallback, "completed", duration: 4);

        Assert.Equal(["Hangup"], Verbs(Assert.Single(_twilio.Updates).Form["Twiml"]));
        Assert.Equal("fax", outcome.GetProperty("outcome").GetString());
        Assert.Equal("fax", outcome.GetProperty("answeredBy").GetString());
        Assert.Equal("A fax machine answered; the call was hung up; the call lasted 4 s.", outcome.GetProperty("summary").GetString());
    }

    /// <summary>The sample's <c>front-desk</c> agent has no <c>voicemailMessage</c>: a machine is hung up on, nothing said.</summary>
    [Fact]
    public async Task A_machine_answering_an_agent_without_a_voicemail_message_is_hung_up_on_and_reported_as_machine_hung_up()
    {
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker);
        var client = api.CreateClient();
        var create = await PlaceAsync(client, agent: "front-desk");

        var statusCallback = await DetectedAsync(client, create, "machine_end_beep");
        var outcome = await EndedAsync(client, statusCallback, "completed", duration: 21);

        Assert.Equal(["Hangup"], Verbs(Assert.Single(_twilio.Updates).Form["Twiml"]));
        Assert.Equal("machine-hung-up", outcome.GetProperty("outcome").GetString());
        Assert.Equal("machine_end_beep", outcome.GetProperty("answeredBy").GetString());
        Assert.Equal("An answering machine answered; the agent leaves no message, so the call was hung up; the call lasted 21 s.",
            outcome.GetProperty("summary").GetString());
    }

    /// <summary>Detection timed out (someone silent, a screener): treated as a person, the agent goes on.</summary>
    [Fact]
    public async Task An_unknown_detection_result_leaves_the_agent_talking_and_is_reported_as_answered()
    {
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker);
        var client = api.CreateClient();
        var create = await PlaceAsync(client, agent: "reminders");

        var statusCallback = await DetectedAsync(client, create, "unknown");
        var outcome = await EndedAsync(client, statusCallback, "completed", duration: 33);

        Assert.False(Assert.Single(_twilio.Updates).Form.ContainsKey("Twiml"), "the call's TwiML must not be replaced");
        Assert.Equal("answered", outcome.GetProperty("outcome").GetString());
        Assert.Equal("unknown", outcome.GetProperty("answeredBy").GetString());
        Assert.Equal("Answered (answering machine detection could not tell who) and talked with the agent; the call lasted 33 s.",
            outcome.GetProperty("summary").GetString());
    }

    /// <summary>
    /// A value Twilio does not document (a new one, say) is treated as a person: the agent goes on, nobody is hung up
    /// on. A name that merely starts as a machine's does not make it one. The api warns, naming the value, and counts it as
    /// <c>other</c>.
    /// </summary>
    [Theory]
    [InlineData("robot")]
    [InlineData("machine_end_whistle")]
    public async Task An_undocumented_detection_result_is_treated_as_a_person_and_warned_about(string answeredBy)
    {
        using var logs = new FakeLoggerProvider();
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker).WithServices(services => services.AddSingleton<ILoggerProvider>(logs));
        var client = api.CreateClient();
        using var detections = new MetricCollector<long>(api.Services.GetRequiredService<IMeterFactory>(), "Bridge.Api", "bridge.outbound.amd");
        var create = await PlaceAsync(client, agent: "reminders");

        var statusCallback = await DetectedAsync(client, create, answeredBy);
        var outcome = await EndedAsync(client, statusCallback, "completed", duration: 12);

        Assert.Equal("other", Assert.Single(detections.GetMeasurementSnapshot()).Tags["answered_by"]);
        Assert.False(Assert.Single(_twilio.Updates).Form.ContainsKey("Twiml"), "the call's TwiML must not be replaced");
        Assert.Equal("answered", outcome.GetProperty("outcome").GetString());
        Assert.Equal(answeredBy, outcome.GetProperty("answeredBy").GetString());
        var warning = Assert.Single(logs.Collector.GetSnapshot(), e => e.Level >= LogLevel.Warning);
        Assert.Contains($"AnsweredBy '{answeredBy}' is not a value Twilio documents; treated as a person", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>Every value Twilio documents is acted on without a warning, and counted under its own name.</summary>
    [Theory]
    [InlineData("human")]
    [InlineData("unknown")]
    [InlineData("machine_start")]
    [InlineData("machine_end_silence")]
    [InlineData("machine_end_other")]
    public async Task A_documented_detection_result_is_not_warned_about(string answeredBy)
    {
        using var logs = new FakeLoggerProvider();
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker).WithServices(services => services.AddSingleton<ILoggerProvider>(logs));
        var client = api.CreateClient();
        using var detections = new MetricCollector<long>(api.Services.GetRequiredService<IMeterFactory>(), "Bridge.Api", "bridge.outbound.amd");
        var create = await PlaceAsync(client, agent: "reminders");

        await DetectedAsync(client, create, answeredBy);

        Assert.Equal(answeredBy, Assert.Single(detections.GetMeasurementSnapshot()).Tags["answered_by"]);
        Assert.Contains(logs.Collector.GetSnapshot(), e => e.Message.Contains($"answered by {answeredBy};", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_call_Twilio_could_not_place_is_reported_as_failed()
    {
        using var api = OutboundApi.Create(_twilio.BaseAddress, _worker);
        var client = api.CreateClient();
        var create = await PlaceAsync(client, agent: "reminders");

        var outcome = await EndedAsync(client, create["StatusCallback"], "failed", duration: 0);

        Assert.Empty(_twilio.Updates);
        Assert.Equal("failed", outcome.GetProperty("outcome").GetString());
        Assert.Equal("failed", outcome.GetProperty("callStatus").GetString());
        Assert.Equal(JsonValueKind.Null, outcome.GetProperty("answeredBy").ValueKind);
        Assert.Equal("Twilio could not place the call (failed).", outcome.GetProperty("summary").GetString());
    }

    /// <summary>Places a call whose outcome goes to the local operator; the create's form, as Twilio received it.</summary>
    private async Task<IReadOnlyDictionary<string, string>> PlaceAsync(HttpClient client, string agent)
    {
        var call = ValidCall();
        call["agent"] = agent;
        call["statusCallback"] = _operator.Url.ToString();
        if (agent != "reminders")
        {
            call.Remove("variables");
        }
        var response = await OutboundApi.PlaceAsync(client, call);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return Assert.Single(_twilio.Creates);
    }

    /// <summary>Twilio posts the verdict to the create's AsyncAmdStatusCallback; the status callback the api then gave Twilio.</summary>
    private static async Task<string> DetectedAsync(HttpClient client, IReadOnlyDictionary<string, string> create, string answeredBy)
    {
        var response = await TwilioPostsAsync(client, create["AsyncAmdStatusCallback"], new()
        {
            ["AccountSid"] = AccountSid,
            ["CallSid"] = ScriptedTwilio.CallSid,
            ["AnsweredBy"] = answeredBy,
            ["MachineDetectionDuration"] = "2140",
        });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return create["StatusCallback"];
    }

    /// <summary>Twilio's final status, to the status callback it holds then; the operator's callback it led to, its signature checked.</summary>
    private async Task<JsonElement> EndedAsync(HttpClient client, string statusCallback, string callStatus, int duration)
    {
        if (!_twilio.Updates.IsEmpty)
        {
            // The update after the verdict moved the status callback to a URL that carries the verdict.
            statusCallback = _twilio.Updates.Last().Form["StatusCallback"];
        }
        var response = await TwilioPostsAsync(client, statusCallback, new()
        {
            ["AccountSid"] = AccountSid,
            ["CallSid"] = ScriptedTwilio.CallSid,
            ["CallStatus"] = callStatus,
            ["CallDuration"] = duration.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["To"] = Callee,
            ["From"] = OurNumber,
        });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var callback = await _operator.ReceivedAsync(ScriptedTwilio.CallSid, Wait);
        Assert.True(ToolRequestSigner.Verify(Encoding.UTF8.GetBytes(CallbackSecret), callback.Timestamp, callback.Signature,
            callback.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), "the operator's callback signature does not verify");
        var outcome = JsonDocument.Parse(callback.Body).RootElement;
        Assert.Equal(ScriptedTwilio.CallSid, outcome.GetProperty("callSid").GetString());
        Assert.Equal(callStatus, outcome.GetProperty("callStatus").GetString());
        return outcome;
    }

    private static Task<HttpResponseMessage> TwilioPostsAsync(HttpClient client, string url, Dictionary<string, string> form) =>
        client.SendAsync(TwilioTestSigner.SignedFormPost(ApiFactory.AuthToken, url, url[ApiFactory.PublicBaseUrl.Length..], form));

    private static string[] Verbs(string twiml) => XDocument.Parse(twiml).Root!.Elements().Select(e => e.Name.LocalName).ToArray();
}
