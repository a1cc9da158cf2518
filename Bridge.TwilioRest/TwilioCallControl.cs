using Microsoft.Extensions.Logging;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using Task = System.Threading.Tasks.Task;
using Twilio.Types;

namespace Bridge.TwilioRest;

/// <summary>
/// Acts on a call through Twilio's REST API with the Twilio library, over the resilient HttpClient: look it up,
/// hang up, or replace its TwiML (a transfer, a voicemail message). Always as the configured account (<c>Twilio:AccountSid</c>), never one a
/// stream names: a call on any other account is none of this bridge's business.
/// </summary>
public sealed partial class TwilioCallControl(HttpClient http, string authToken, string? accountSid, ILogger<TwilioCallControl> logger)
{
    /// <summary>Twilio's code for "the requested resource was not found": the call has already ended.</summary>
    private const int CallNotFound = 20404;

    /// <summary>The call as Twilio knows it on our account, or null when Twilio has no such call (20404).</summary>
    public async Task<CallResource?> FetchAsync(string callSid, CancellationToken cancellationToken)
    {
        var account = Account();
        try
        {
            return await CallResource.FetchAsync(pathSid: callSid, pathAccountSid: account, client: Client(account)).WaitAsync(cancellationToken);
        }
        catch (ApiException e) when (e.Code == CallNotFound)
        {
            return null;
        }
    }

    public async Task HangUpAsync(string callSid, CancellationToken cancellationToken)
    {
        var account = Account();
        try
        {
            await CallResource.UpdateAsync(
                pathSid: callSid,
                pathAccountSid: account,
                status: CallResource.UpdateStatusEnum.Completed,
                client: Client(account)).WaitAsync(cancellationToken);
        }
        catch (ApiException e) when (e.Code == CallNotFound)
        {
            LogAlreadyEnded(callSid);
        }
    }

    /// <summary>Replaces the call's TwiML with a <c>&lt;Dial&gt;</c> to a number (E.164) or a SIP URI.</summary>
    public Task TransferAsync(string callSid, string target, CancellationToken cancellationToken)
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
        var account = Account();
        return CallResource.UpdateAsync(
            pathSid: callSid,
            pathAccountSid: account,
            twiml: new Twiml(new VoiceResponse().Append(dial).ToString()),
            client: Client(account)).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces what the call runs with <paramref name="twiml"/> (when given) and where its later status callbacks go
    /// (when given). False when the call has already ended (20404).
    /// </summary>
    public async Task<bool> UpdateAsync(string callSid, VoiceResponse? twiml, Uri? statusCallback, CancellationToken cancellationToken)
    {
        var account = Account();
        try
        {
            await CallResource.UpdateAsync(
                pathSid: callSid,
                pathAccountSid: account,
                twiml: twiml is null ? null : new Twiml(twiml.ToString()),
                statusCallback: statusCallback,
                statusCallbackMethod: statusCallback is null ? null : global::Twilio.Http.HttpMethod.Post,
                client: Client(account)).WaitAsync(cancellationToken);
            return true;
        }
        catch (ApiException e) when (e.Code == CallNotFound)
        {
            return false;
        }
    }

    private string Account() =>
        accountSid ?? throw new InvalidOperationException("Twilio:AccountSid is not configured: Twilio's REST API cannot be called.");

    private TwilioRestClient Client(string account) =>
        new(account, authToken, account, httpClient: new global::Twilio.Http.SystemNetHttpClient(http));

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} had already ended when the bridge hung up")]
    private partial void LogAlreadyEnded(string callSid);
}
