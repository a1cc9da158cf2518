using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using Task = System.Threading.Tasks.Task;
using Twilio.Types;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Acts on a live call through Twilio's REST API with the Twilio library, over the worker's resilient HttpClient:
/// hang up, or transfer with new TwiML. The account comes from the stream's start event; the auth token from
/// configuration.
/// </summary>
public sealed partial class TwilioCallControl(HttpClient http, string authToken, ILogger<TwilioCallControl> logger)
{
    /// <summary>Twilio's code for "the requested resource was not found": the call has already ended.</summary>
    private const int CallNotFound = 20404;

    public async Task HangUpAsync(string accountSid, string callSid, CancellationToken cancellationToken)
    {
        try
        {
            await CallResource.UpdateAsync(
                pathSid: callSid,
                pathAccountSid: accountSid,
                status: CallResource.UpdateStatusEnum.Completed,
                client: Client(accountSid)).WaitAsync(cancellationToken);
        }
        catch (ApiException e) when (e.Code == CallNotFound)
        {
            LogAlreadyEnded(callSid);
        }
    }

    /// <summary>Replaces the call's TwiML with a <c>&lt;Dial&gt;</c> to a number (E.164) or a SIP URI.</summary>
    public Task TransferAsync(string accountSid, string callSid, string target, CancellationToken cancellationToken)
    {
        var dial = new Dial();
        if (target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || target.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            dial.Sip(new Uri(target));
        }
        else
        {
            dial.Number(new PhoneNumber(target));
        }
        return CallResource.UpdateAsync(
            pathSid: callSid,
            pathAccountSid: accountSid,
            twiml: new Twiml(new VoiceResponse().Append(dial).ToString()),
            client: Client(accountSid)).WaitAsync(cancellationToken);
    }

    private TwilioRestClient Client(string accountSid) =>
        new(accountSid, authToken, accountSid, httpClient: new global::Twilio.Http.SystemNetHttpClient(http));

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} had already ended when the bridge hung up")]
    private partial void LogAlreadyEnded(string callSid);
}
