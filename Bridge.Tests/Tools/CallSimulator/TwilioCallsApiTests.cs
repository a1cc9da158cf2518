using Bridge.CallSimulator.Calls;
using Bridge.CallSimulator.Media;
using Bridge.CallSimulator.Twilio;
using Bridge.MediaWorker.Calls;
using CallSummary = Bridge.CallSimulator.Calls.CallSummary;
using Microsoft.Extensions.Logging.Abstractions;
using Twilio.Exceptions;

namespace Bridge.Tests.Tools.CallSimulator;

/// <summary>
/// The simulator's REST API against the worker's own Twilio client (the Twilio library over the worker's redirect):
/// a hang-up ends the simulated call, a transfer stops its stream and dials, as on Twilio.
/// </summary>
public sealed class TwilioCallsApiTests : IAsyncLifetime
{
    private readonly LiveCalls _liveCalls = new();
    private FakeBridge _bridge = null!;
    private TwilioCallsApi _api = null!;

    public async Task InitializeAsync()
    {
        _bridge = await FakeBridge.StartAsync();
        _api = await TwilioCallsApi.StartAsync(new Uri("http://127.0.0.1:0"), _liveCalls);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _bridge.DisposeAsync();
    }

    [Fact]
    public async Task A_hang_up_through_the_rest_api_ends_the_call_with_a_stop_on_its_stream()
    {
        _bridge.OnStream = async server =>
        {
            await server.WaitUntilAsync(s => s.StreamSid is not null, "start");
            var start = server.Events("start").Single().GetProperty("start");
            await WorkerCallControl(FakeBridge.AuthToken).HangUpAsync(
                start.GetProperty("accountSid").GetString()!, start.GetProperty("callSid").GetString()!, CancellationToken.None);
            await server.Finished;
        };

        var summary = await CallAsync();

        Assert.Equal("ended through Twilio's REST API (Status=completed)", summary.Outcome);
        Assert.True(summary.StreamStoppedByUpdate);
        Assert.Contains("stream ended: a REST API update of the call stopped it (stop sent, socket closed)", summary.Steps);
        var server = Assert.Single(_bridge.Streams);
        Assert.Equal("stop", server.Received[^1].GetProperty("event").GetString());
        Assert.Empty(_bridge.FormsTo("/webhook/connect-ended"));
        Assert.Equal(["stream-started", "stream-stopped"], _bridge.FormsTo("/webhook/stream-status").Select(s => s["StreamEvent"]));
    }

    [Fact]
    public async Task A_transfer_through_the_rest_api_stops_the_stream_and_dials_the_target()
    {
        _bridge.OnStream = async server =>
        {
            await server.WaitUntilAsync(s => s.StreamSid is not null, "start");
            var start = server.Events("start").Single().GetProperty("start");
            await WorkerCallControl(FakeBridge.AuthToken).TransferAsync(
                start.GetProperty("accountSid").GetString()!, start.GetProperty("callSid").GetString()!, "+15005550001", CancellationToken.None);
            await server.Finished;
        };

        var summary = await CallAsync();

        Assert.StartsWith("transferred to +15005550001 (<Dial>;", summary.Outcome);
        Assert.True(summary.Succeeded);
        Assert.True(summary.StreamStoppedByUpdate);
        Assert.Contains("<Dial> +15005550001", summary.Steps);
        Assert.Equal("stop", Assert.Single(_bridge.Streams).Received[^1].GetProperty("event").GetString());
        Assert.Empty(_bridge.FormsTo("/webhook/connect-ended"));
    }

    [Fact]
    public async Task The_wrong_auth_token_is_refused_with_20003_and_leaves_the_call_alone()
    {
        ApiException? refused = null;
        _bridge.OnStream = async server =>
        {
            await server.WaitUntilAsync(s => s.StreamSid is not null, "start");
            var start = server.Events("start").Single().GetProperty("start");
            refused = await Assert.ThrowsAsync<ApiException>(() => WorkerCallControl("not-the-account-token-0123456789ab").HangUpAsync(
                start.GetProperty("accountSid").GetString()!, start.GetProperty("callSid").GetString()!, CancellationToken.None));
            await server.Finished;
        };

        var summary = await CallAsync();

        Assert.Equal(20003, refused!.Code);
        Assert.Equal(401, refused.Status);
        Assert.Equal("the caller hung up", summary.Outcome);
    }

    [Fact]
    public async Task A_call_that_has_ended_is_not_found_which_the_worker_takes_as_already_hung_up()
    {
        var summary = await CallAsync();

        // The worker's hang-up treats 20404 as "already ended" and does not throw; a transfer reports it.
        await WorkerCallControl(FakeBridge.AuthToken).HangUpAsync(CallSimulationOptions.DefaultAccountSid, summary.CallSid, CancellationToken.None);
        var notFound = await Assert.ThrowsAsync<ApiException>(() => WorkerCallControl(FakeBridge.AuthToken).TransferAsync(
            CallSimulationOptions.DefaultAccountSid, summary.CallSid, "+15005550001", CancellationToken.None));
        Assert.Equal(20404, notFound.Code);
    }

    private TwilioCallControl WorkerCallControl(string authToken) => new(
        new HttpClient(new TwilioApiRedirect(_api.BaseAddress) { InnerHandler = new HttpClientHandler() }),
        authToken,
        NullLogger<TwilioCallControl>.Instance);

    private async Task<CallSummary> CallAsync()
    {
        using var http = new HttpClient();
        var simulation = new CallSimulation(http, TimeProvider.System, NullLogger<CallSimulation>.Instance, _liveCalls);
        return await simulation.RunAsync(new CallSimulationOptions
        {
            WebhookUrl = _bridge.WebhookUrl,
            AuthToken = FakeBridge.AuthToken,
            Media = new MediaStreamOptions
            {
                Audio = CallerAudio.FromMuLaw(new byte[8000]),
                Speed = 5,
                HangUpAfterQuiet = TimeSpan.FromMilliseconds(500),
                MaxDuration = TimeSpan.FromSeconds(30),
            },
        }).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
