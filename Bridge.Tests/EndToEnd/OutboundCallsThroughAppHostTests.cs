using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bridge.HttpTools;
using Bridge.Tests.Support;
using Bridge.TwilioStandIn.Outbound;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// Outbound calls end to end through the real AppHost: <c>POST /calls</c> on the api, Twilio's create served by the
/// stand-in, which answers as a person or a voicemail (or busy, or not at all), runs asynchronous answering machine
/// detection, fetches the TwiML and streams to the real worker and the Nova Sonic emulator; the outcome reaches the
/// operator's callback, signed.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OutboundCallsThroughAppHostTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OutboundCallReport>> _reports = new(StringComparer.Ordinal);
    private OperatorCallbackReceiver _operator = null!;

    public async Task InitializeAsync()
    {
        _operator = await OperatorCallbackReceiver.StartAsync();
        fixture.Outbound.Ended += Ended;
    }

    public async Task DisposeAsync()
    {
        fixture.Outbound.Ended -= Ended;
        await _operator.DisposeAsync();
    }

    private void Ended(OutboundCallReport report) => Report(report.CallSid).TrySetResult(report);

    private TaskCompletionSource<OutboundCallReport> Report(string callSid) =>
        _reports.GetOrAdd(callSid, _ => new TaskCompletionSource<OutboundCallReport>(TaskCreationOptions.RunContinuationsAsynchronously));

    [Fact]
    public async Task A_person_answering_hears_the_agent_first_with_the_calls_variables_and_the_signed_outcome_reaches_the_operator()
    {
        using var stalls = new SchedulingStallProbe();
        var callSid = await PlaceAsync(Callees.Person);
        var report = await Report(callSid).Task.WaitAsync(Wait);

        Assert.Equal("completed", report.FinalStatus);
        Assert.Equal("human", report.AnsweredBy);
        // The person listens for 2 s before saying anything: the agent's greeting is heard before that (on a machine
        // that did not stall everything meanwhile; the turns below hold the order whatever the machine did).
        Assert.True(report.Call?.Stream?.TimeToFirstAudio < stalls.Allow(TimeSpan.FromSeconds(2)),
            $"{report.Describe()} ({stalls.Describe()})");
        // The emulator speaks "in reply to" the greeting instruction (its first 60 characters): the agent's, with this call's variables.
        await ResourceLogs.LineAsync("media-worker", "Assistant: [speaking in reply to: Greet Ana Lima by name, say you are calling from");

        var callback = await _operator.ReceivedAsync(callSid, Wait);
        Assert.True(ToolRequestSigner.Verify(Encoding.UTF8.GetBytes(AppHostFixture.OutboundCallbackSecret), callback.Timestamp, callback.Signature,
            callback.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), "the operator's callback signature does not verify");
        Assert.False(ToolRequestSigner.Verify(Encoding.UTF8.GetBytes(AppHostFixture.OutboundCallbackSecret + "x"), callback.Timestamp, callback.Signature,
            callback.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.Equal("call.completed", callback.Event);
        using var outcome = JsonDocument.Parse(callback.Body);
        Assert.Equal("answered", outcome.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("human", outcome.RootElement.GetProperty("answeredBy").GetString());
        Assert.Equal("Ana Lima", outcome.RootElement.GetProperty("variables").GetProperty("patientName").GetString());
        Assert.True(outcome.RootElement.GetProperty("durationSeconds").GetInt32() > 0);

        // The worker's own callback: what was said, signed with the same secret.
        var said = await _operator.ReceivedAsync(callSid, Wait, OperatorCallbackReceiver.Conversation);
        Assert.True(ToolRequestSigner.Verify(Encoding.UTF8.GetBytes(AppHostFixture.OutboundCallbackSecret), said.Timestamp, said.Signature,
            said.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), "the conversation callback's signature does not verify");
        Assert.Equal("call.conversation", said.Event);
        using var conversation = JsonDocument.Parse(said.Body);
        var root = conversation.RootElement;
        Assert.Equal("reminders", root.GetProperty("agent").GetString());
        Assert.Equal(Callees.Person, root.GetProperty("to").GetString());
        Assert.Equal("Ana Lima", root.GetProperty("variables").GetProperty("patientName").GetString());
        var turns = root.GetProperty("turns").EnumerateArray().Select(t => (Speaker: t.GetProperty("speaker").GetString(), Text: t.GetProperty("text").GetString()!)).ToList();
        // The agent spoke first (its greeting, with the call's variables), then the person answered (the emulator transcribes speech by its length).
        Assert.Equal("agent", turns[0].Speaker);
        Assert.Contains("Greet Ana Lima by name", turns[0].Text, StringComparison.Ordinal);
        Assert.Contains(turns, t => t.Speaker == "callee" && t.Text.StartsWith("[caller spoke for ", StringComparison.Ordinal));
        Assert.True(root.GetProperty("usage").GetProperty("inputTokens").GetInt64() > 0, Encoding.UTF8.GetString(said.Body));
        Assert.Equal(1, _operator.Attempts(callSid, OperatorCallbackReceiver.Conversation));
    }

    [Fact]
    public async Task A_voicemail_gets_the_agents_message_after_the_beep_and_the_call_ends()
    {
        var callSid = await PlaceAsync(Callees.Machine);
        var report = await Report(callSid).Task.WaitAsync(Wait);

        Assert.Equal("machine_end_beep", report.AnsweredBy);
        Assert.True(report.DetectedAt >= Callees.MachineGreeting.SpeechEnd, $"detected at {report.DetectedAt}, before the beep ended at {Callees.MachineGreeting.SpeechEnd}");
        var said = Assert.Single(report.Said);
        Assert.Equal("Hello Ana Lima, this is Example Dental calling to confirm your appointment on Tuesday at 3 pm. If you need to change it, please call us back. Goodbye.", said);
        Assert.Equal("TwiML <Hangup>", report.Call?.Outcome);
        Assert.True(report.Call!.StreamStoppedByUpdate, "the message must replace the stream, through Twilio's REST API");

        var callback = await _operator.ReceivedAsync(callSid, Wait);
        using var outcome = JsonDocument.Parse(callback.Body);
        Assert.Equal("voicemail-left", outcome.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("machine_end_beep", outcome.RootElement.GetProperty("answeredBy").GetString());
    }

    [Fact]
    public async Task Busy_and_unanswered_calls_report_their_outcome()
    {
        var busy = await PlaceAsync(Callees.Busy);
        var unanswered = await PlaceAsync(Callees.NoAnswer);

        using var busyOutcome = JsonDocument.Parse((await _operator.ReceivedAsync(busy, Wait)).Body);
        using var unansweredOutcome = JsonDocument.Parse((await _operator.ReceivedAsync(unanswered, Wait)).Body);

        Assert.Equal("busy", busyOutcome.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("no-answer", unansweredOutcome.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("The line was busy.", busyOutcome.RootElement.GetProperty("summary").GetString());
        await ResourceLogs.LineAsync("api", $"Outbound call {unanswered} to {Callees.NoAnswer} ended: no-answer");
    }

    [Fact]
    public async Task The_dashboard_command_places_an_outbound_call_to_a_voicemail_and_reports_the_signed_outcome()
    {
        using var timeout = new CancellationTokenSource(Wait);

        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync("api", "place-outbound-call-voicemail", timeout.Token);

        Assert.True(result.Success, result.Message);
        Assert.Contains(": voicemail-left. An answering machine answered; the agent's message was left after the beep", result.Message, StringComparison.Ordinal);
        // Until the beep the agent talked to the greeting: the worker's conversation callback says so, verified too.
        Assert.Contains("Conversation (agent reminders, ", result.Message, StringComparison.Ordinal);
    }

    private async Task<string> PlaceAsync(string to)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.App.GetEndpoint("api", "http"), "/calls"))
        {
            Content = JsonContent.Create(new
            {
                to,
                from = "+15005550020",
                agent = "reminders",
                variables = new Dictionary<string, string> { ["patientName"] = "Ana Lima", ["appointment"] = "on Tuesday at 3 pm" },
                statusCallback = _operator.Url.ToString(),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AppHostFixture.OutboundApiKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("callSid").GetString()!;
    }
}
