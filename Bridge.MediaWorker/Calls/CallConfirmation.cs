using System.Net.WebSockets;
using Bridge.Security;
using Microsoft.Extensions.Options;
using Twilio.Exceptions;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Asks Twilio, before a call reaches the model, that the call exists on our account (<c>Twilio:AccountSid</c>) and
/// is in progress: a stream token replayed for a call that is over, or for another account's call, opens nothing.
/// On when <c>Twilio:Rest:ConfirmCalls</c> says so, else whenever <c>Bridge:PublicBaseUrl</c> is set. If Twilio cannot
/// be asked, the stream is refused (the caller hears the api's apology): an unconfirmed call is not taken.
/// </summary>
public sealed class CallConfirmation(
    TwilioCallControl twilio,
    IOptions<TwilioRestOptions> rest,
    IOptions<TwilioOptions> account,
    IOptions<PublicEndpointOptions> endpoint)
{
    private const string InProgress = "in-progress";

    /// <summary>Why a call was not confirmed: the reason it is refused under, the close status and a detail.</summary>
    public sealed record Refusal(string Reason, WebSocketCloseStatus Status, string Detail);

    public bool Enabled { get; } = rest.Value.ConfirmCalls ?? endpoint.Value.PublicBaseUrl is not null;

    /// <summary>Null when the call is live on our account (or confirming is off); else why not.</summary>
    public async Task<Refusal?> CheckAsync(string callSid, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(rest.Value.ConfirmTimeout);
        global::Twilio.Rest.Api.V2010.Account.CallResource? call;
        try
        {
            call = await twilio.FetchAsync(callSid, timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // An error answer, no answer in time, a broken connection or an open circuit: all mean "not confirmed".
            return new Refusal("call-unconfirmed", WebSocketCloseStatus.InternalServerError, $"Twilio could not confirm the call: {Describe(e)}");
        }

        if (call is null)
        {
            return new Refusal("call-not-live", WebSocketCloseStatus.PolicyViolation, "Twilio has no such call on this account");
        }
        if (!string.Equals(call.AccountSid, account.Value.AccountSid, StringComparison.Ordinal))
        {
            return new Refusal("account", WebSocketCloseStatus.PolicyViolation, "Twilio reports the call on another account");
        }
        var status = call.Status?.ToString();
        return status == InProgress
            ? null
            : new Refusal("call-not-live", WebSocketCloseStatus.PolicyViolation, $"Twilio reports the call {status ?? "without a status"}, not {InProgress}");
    }

    private static string Describe(Exception e) => e switch
    {
        ApiException api => $"error {api.Code} (HTTP {api.Status})",
        OperationCanceledException => "no answer in time",
        _ => e.Message,
    };
}
