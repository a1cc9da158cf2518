using Bridge.MediaWorker.Calls;
using Bridge.TwilioRest;
using Bridge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class TwilioCallControlTests : IAsyncLifetime
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string CallSid = "CAfeedfacefeedfacefeedfacefeedface";
    private const string AuthToken = "f1e2d3c4b5a697887766554433221100";

    private FakeTwilioApi _twilio = null!;
    private TwilioCallControl _control = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeTwilioApi.StartAsync();
        var http = new HttpClient(new TwilioApiRedirect(_twilio.BaseAddress) { InnerHandler = new SocketsHttpHandler() });
        _control = new TwilioCallControl(http, AuthToken, AccountSid, NullLogger<TwilioCallControl>.Instance);
    }

    public async Task DisposeAsync() => await _twilio.DisposeAsync();

    [Fact]
    public async Task Hanging_up_completes_the_call_as_the_account()
    {
        await _control.HangUpAsync(CallSid, CancellationToken.None);

        var update = Assert.Single(_twilio.Updates);
        Assert.Equal((AccountSid, CallSid, AccountSid), (update.AccountSid, update.CallSid, update.AuthenticatedAs));
        Assert.Equal("completed", update.Form["Status"]);
    }

    [Fact]
    public async Task Hanging_up_a_call_that_already_ended_is_not_an_error()
    {
        _twilio.EndedCalls[CallSid] = true;

        await _control.HangUpAsync(CallSid, CancellationToken.None);

        Assert.Single(_twilio.Updates);
    }

    [Theory]
    [InlineData("+15005550001", "<Number>+15005550001</Number>")]
    [InlineData("sip:desk@example.com", "<Sip>sip:desk@example.com</Sip>")]
    public async Task A_transfer_replaces_the_calls_TwiML_with_a_dial(string target, string dialed)
    {
        await _control.TransferAsync(CallSid, target, CancellationToken.None);

        var twiml = Assert.Single(_twilio.Updates).Form["Twiml"];
        Assert.Contains("<Dial>", twiml, StringComparison.Ordinal);
        Assert.Contains(dialed, twiml, StringComparison.Ordinal);
    }
}
