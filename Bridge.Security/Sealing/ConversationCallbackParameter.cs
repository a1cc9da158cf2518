using System.Text;
using Microsoft.Extensions.Options;

namespace Bridge.Security.Sealing;

/// <summary>
/// The operator's callback URL of an outbound call, as the api gives it to the worker: a stream parameter
/// (<c>callback</c>) sealed with AES-256-GCM under a key derived from the Twilio auth token for this one purpose, bound
/// to the call's SID. Like every stream parameter it is signed by the stream token as well; sealed, the URL stays out of
/// Twilio's logs of the TwiML, and a value copied from another call's TwiML opens for no other call.
/// </summary>
public sealed class ConversationCallbackParameter
{
    public const string Name = "callback";

    /// <summary>
    /// The longest value opened: a 300-character URL in UTF-8 at worst. The api accepts only URLs of at most 300
    /// characters, which seal to 438 characters when ASCII, under the ~500 Twilio allows a parameter.
    /// </summary>
    public static readonly int MaxSealedLength = PurposeSeal.SealedLength(300 * 4);

    private readonly PurposeSeal _seal;

    public ConversationCallbackParameter(IOptions<TwilioOptions> twilio)
        : this(twilio.Value.AuthToken)
    {
    }

    public ConversationCallbackParameter(string authToken) => _seal = new PurposeSeal(authToken, "bridge/conversation-callback/v1");

    public string Seal(Uri callback, string callSid) =>
        _seal.Seal(Encoding.UTF8.GetBytes(callback.OriginalString), Encoding.UTF8.GetBytes(callSid));

    /// <summary>The callback URL, or null when the value is not one sealed for <paramref name="callSid"/> with this auth token.</summary>
    public Uri? Open(string? sealedValue, string callSid) =>
        _seal.Open(sealedValue, MaxSealedLength, Encoding.UTF8.GetBytes(callSid)) is { } url &&
        Uri.TryCreate(Encoding.UTF8.GetString(url), UriKind.Absolute, out var callback)
            ? callback
            : null;
}
