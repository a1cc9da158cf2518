using System.Net.WebSockets;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Bridge.Security;

namespace Bridge.Tests.Support;

/// <summary>
/// Twilio's side of a media stream opened straight on a worker, as it would be after our webhook answered: the
/// stream parameters with a stream token issued (like the webhook does) with the auth token, and the upgrade signed
/// over the public URL Twilio would have dialed. Skips the api, so thousands of streams cost little.
/// </summary>
public sealed class DirectStream(Uri mediaUrl, string authToken, string publicMediaUrl)
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    private readonly StreamToken _tokens = new(authToken, TimeProvider.System);

    public Uri MediaUrl => mediaUrl;

    /// <summary>
    /// What Twilio's start would carry for a new call: its SIDs and the signed parameters (with <paramref name="extra"/>'s,
    /// made for the call's SID, as the api adds an outbound call's).
    /// </summary>
    public StreamStart NewStart(TimeSpan? tokenLifetime = null, Func<string, IEnumerable<KeyValuePair<string, string>>>? extra = null)
    {
        var callSid = TwilioSid.NewCallSid();
        var parameters = new Dictionary<string, string>
        {
            [StreamToken.CallSidParameter] = callSid,
            ["from"] = "+15555550100",
            ["to"] = "+15555550199",
        };
        foreach (var (name, value) in extra?.Invoke(callSid) ?? [])
        {
            parameters[name] = value;
        }
        var token = _tokens.Issue(parameters, tokenLifetime ?? TimeSpan.FromMinutes(5));
        return new StreamStart(AccountSid, callSid, TwilioSid.NewStreamSid(), [.. parameters, new(StreamToken.ParameterName, token)]);
    }

    /// <summary>Twilio's signature on the upgrade: the same for every stream, which is why it proves so little.</summary>
    public string UpgradeSignature => TwilioRequestSigner.SignWebSocketUpgrade(authToken, publicMediaUrl);

    /// <summary>A WebSocket to the worker with Twilio's signature (or a wrong one), not yet connected.</summary>
    public ClientWebSocket NewSocket(bool signed = true)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader(TwilioRequestSigner.WebSocketHeaderName,
            signed ? UpgradeSignature : TwilioRequestSigner.SignWebSocketUpgrade("not-the-auth-token", publicMediaUrl));
        return socket;
    }

    public async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken, bool signed = true)
    {
        var socket = NewSocket(signed);
        try
        {
            await socket.ConnectAsync(mediaUrl, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
