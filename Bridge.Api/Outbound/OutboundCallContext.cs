using System.Text.Json;
using System.Text.Json.Serialization;
using Bridge.Security;
using Bridge.Security.Sealing;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Outbound;

/// <summary>
/// What the api must know about an outbound call when Twilio calls back about it — the agent, its variables, the
/// operator's callback and the key that placed it, later the answering machine detection's verdict — carried in the
/// callback URLs themselves (<c>?ctx=…</c>), sealed (encrypted and authenticated), since the api keeps nothing between requests and the next one
/// may reach another task.
/// </summary>
public sealed record OutboundCallContext(
    [property: JsonPropertyName("a")] string Agent,
    [property: JsonPropertyName("v")] IReadOnlyDictionary<string, string> Variables,
    [property: JsonPropertyName("c")] string? Callback,
    [property: JsonPropertyName("k")] string KeyName,
    [property: JsonPropertyName("b")] string? AnsweredBy = null);

/// <summary>
/// Encodes an <see cref="OutboundCallContext"/> as its JSON sealed (<see cref="PurposeSeal"/>: AES-256-GCM, base64url),
/// keyed from the Twilio auth token for this one purpose like the stream token (no second secret). The tag makes a
/// context one this api wrote; the encryption keeps the operator's variables and callback URL out of the load balancer's
/// access logs and Twilio's request logs, where the URLs Twilio calls are written.
/// </summary>
public sealed class OutboundContextCodec(IOptions<TwilioOptions> twilio)
{
    public const string QueryName = "ctx";

    /// <summary>Twilio documents 4,000 characters for a callback URL: the context keeps well under it.</summary>
    public const int MaxEncodedLength = 2_400;

    private readonly PurposeSeal _seal = new(twilio.Value.AuthToken, "bridge/outbound-context/v1");

    public string Encode(OutboundCallContext context) => _seal.Seal(JsonSerializer.SerializeToUtf8Bytes(context));

    /// <summary>The context, or null when it is missing, malformed or not one this api wrote.</summary>
    public OutboundCallContext? Decode(string? encoded)
    {
        if (_seal.Open(encoded, MaxEncodedLength) is not { } json)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<OutboundCallContext>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
