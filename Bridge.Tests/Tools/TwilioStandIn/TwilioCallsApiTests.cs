using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Bridge.MediaWorker.Calls;
using Bridge.TwilioRest;
using CallSummary = Bridge.TwilioStandIn.Calls.CallSummary;
using Microsoft.Extensions.Logging.Abstractions;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;

namespace Bridge.Tests.Tools.TwilioStandIn;

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
                start.GetProperty("callSid").GetString()!, CancellationToken.None);
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
                start.GetProperty("callSid").GetString()!, "+15005550001", CancellationToken.None);
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
                start.GetProperty("callSid").GetString()!, CancellationToken.None));
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
        await WorkerCallControl(FakeBridge.AuthToken).HangUpAsync(summary.CallSid, CancellationToken.None);
        var notFound = await Assert.ThrowsAsync<ApiException>(() => WorkerCallControl(FakeBridge.AuthToken).TransferAsync(
            summary.CallSid, "+15005550001", CancellationToken.None));
        Assert.Equal(20404, notFound.Code);
    }

    [Fact]
    public async Task A_second_stand_in_shares_the_address_and_a_hang_up_sent_there_reaches_its_call()
    {
        var secondCalls = new LiveCalls();
        await using var second = await TwilioCallsApi.ServeOrShareAsync(_api.BaseAddress, secondCalls);
        Assert.Equal(_api.BaseAddress, second.SharedWith);
        Assert.NotEqual(_api.BaseAddress.Port, second.BaseAddress.Port);
        _bridge.OnStream = async server =>
        {
            await server.WaitUntilAsync(s => s.StreamSid is not null, "start");
            var start = server.Events("start").Single().GetProperty("start");
            // The worker knows one address: the first stand-in's, which forwards to the second's call.
            await WorkerCallControl(FakeBridge.AuthToken).HangUpAsync(start.GetProperty("callSid").GetString()!, CancellationToken.None);
            await server.Finished;
        };

        var summary = await CallAsync(secondCalls);

        Assert.Equal("ended through Twilio's REST API (Status=completed)", summary.Outcome);
        Assert.DoesNotContain(summary.Warnings, w => w.Problem.Contains("REST API", StringComparison.Ordinal));
        // Once the call is over the first stand-in forgets it.
        var notFound = await Assert.ThrowsAsync<ApiException>(() => WorkerCallControl(FakeBridge.AuthToken).TransferAsync(
            summary.CallSid, "+15005550001", CancellationToken.None));
        Assert.Equal(20404, notFound.Code);
    }


    [Fact]
    public async Task A_fetch_finds_a_live_call_in_progress_on_its_account_and_nothing_once_it_has_ended()
    {
        CallResource? live = null, otherAccount = null;
        _bridge.OnStream = async server =>
        {
            await server.WaitUntilAsync(s => s.StreamSid is not null, "start");
            var callSid = server.Events("start").Single().GetProperty("start").GetProperty("callSid").GetString()!;
            live = await WorkerCallControl(FakeBridge.AuthToken).FetchAsync(callSid, CancellationToken.None);
            otherAccount = await WorkerCallControl(FakeBridge.AuthToken, "ACffffffffffffffffffffffffffffffff").FetchAsync(callSid, CancellationToken.None);
            await server.Finished;
        };

        var summary = await CallAsync();
        var ended = await WorkerCallControl(FakeBridge.AuthToken).FetchAsync(summary.CallSid, CancellationToken.None);

        Assert.Equal((summary.CallSid, CallSimulationOptions.DefaultAccountSid, "in-progress"), (live!.Sid, live.AccountSid, live.Status.ToString()));
        Assert.Null(otherAccount);
        Assert.Null(ended);
    }

    private TwilioCallControl WorkerCallControl(string authToken, string accountSid = CallSimulationOptions.DefaultAccountSid) => new(
        new HttpClient(new TwilioApiRedirect(_api.BaseAddress) { InnerHandler = new HttpClientHandler() }),
        authToken,
        accountSid,
        NullLogger<TwilioCallControl>.Instance);

    private async Task<CallSummary> CallAsync(LiveCalls? liveCalls = null)
    {
        using var http = new HttpClient();
        var simulation = new CallSimulation(http, TimeProvider.System, NullLogger<CallSimulation>.Instance, liveCalls ?? _liveCalls);
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
