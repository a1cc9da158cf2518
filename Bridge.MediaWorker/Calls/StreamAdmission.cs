using System.Net.WebSockets;
using Bridge.Audio;
using Bridge.TwilioMedia;
using Bridge.Security;
using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Turns a started media stream into an admitted call, cheapest check first, before anything costly: the stream is
/// on our account, its token is ours and unexpired, its audio format is Twilio's, and its call SID has not opened a
/// stream here before (single use, remembered until the token expires). Only then does it leave the pre-start pool
/// and take a call slot; then Twilio is asked that the call is live (<see cref="CallConfirmation"/>). A refusal
/// closes the stream with its reason; the caller hears the api's apology.
/// </summary>
public sealed class StreamAdmission(
    IOptions<TwilioOptions> twilio,
    StreamToken tokens,
    StreamClaims claims,
    CallRegistry registry,
    CallConfirmation confirmation,
    MediaStreamRefusals refusals)
{
    /// <summary>An admitted call's slot and its claim on its call SID; disposing both ends the call here.</summary>
    public sealed class Admitted(CallLease lease, StreamClaim claim) : IDisposable
    {
        public void Dispose()
        {
            lease.Dispose();
            claim.Dispose();
        }
    }

    /// <summary>The admitted call, or why it was refused (the stream is then closed with it).</summary>
    public async Task<(Admitted? Call, string? Refusal)> AdmitAsync(
        TwilioMediaStream stream, TwilioStartInfo start, PendingStream pending, CancellationToken aborted)
    {
        if (twilio.Value.AccountSid is { } ours && !string.Equals(start.AccountSid, ours, StringComparison.Ordinal))
        {
            return await RefuseAsync(stream, "account", WebSocketCloseStatus.PolicyViolation, $"the stream belongs to account {start.AccountSid}, not this bridge's");
        }
        var token = tokens.Verify(start.CustomParameters, start.CallSid, out var expiresAt);
        if (token != StreamTokenCheck.Valid)
        {
            return await RefuseAsync(stream, "stream-token", WebSocketCloseStatus.PolicyViolation, $"stream token {token}");
        }
        if (start.Encoding != "audio/x-mulaw" || start.SampleRate != TelephoneFrame.SampleRate || start.Channels != 1)
        {
            return await RefuseAsync(stream, "media-format", WebSocketCloseStatus.InvalidPayloadData, $"unsupported media format {start.Encoding}/{start.SampleRate}/{start.Channels}");
        }
        if (claims.TryClaim(start.CallSid, expiresAt) is not { } claim)
        {
            return await RefuseAsync(stream, "token-reused", WebSocketCloseStatus.PolicyViolation, $"call {start.CallSid} already opened a stream on this worker");
        }

        // Authenticated: out of the pre-start pool, into a call slot.
        pending.Dispose();
        if (registry.TryAdmit() is not { } lease)
        {
            claim.Dispose();
            return registry.IsDraining
                ? await RefuseAsync(stream, "draining", WebSocketCloseStatus.EndpointUnavailable, "this worker is shutting down")
                : await RefuseAsync(stream, "capacity", MediaStreamRefusals.TryAgainLater, "this worker takes no more calls now");
        }

        var admitted = new Admitted(lease, claim);
        try
        {
            if (await confirmation.CheckAsync(start.CallSid, aborted) is { } refusal)
            {
                admitted.Dispose();
                return await RefuseAsync(stream, refusal.Reason, refusal.Status, refusal.Detail);
            }
            return (admitted, null);
        }
        catch
        {
            admitted.Dispose();
            throw;
        }
    }

    private async Task<(Admitted?, string?)> RefuseAsync(TwilioMediaStream stream, string reason, WebSocketCloseStatus status, string detail)
    {
        await refusals.CloseAsync(stream, reason, status, detail);
        return (null, detail);
    }
}
