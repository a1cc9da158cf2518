using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bridge.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Outbound;

/// <summary>
/// What the api must know about an outbound call when Twilio calls back about it — the agent, its variables, the
/// operator's callback and the key that placed it, later the answering machine detection's verdict — carried in the
/// callback URLs themselves (<c>?ctx=…</c>), signed, since the api keeps nothing between requests and the next one
/// may reach another task.
/// </summary>
public sealed record OutboundCallContext(
    [property: JsonPropertyName("a")] string Agent,
    [property: JsonPropertyName("v")] IReadOnlyDictionary<string, string> Variables,
    [property: JsonPropertyName("c")] string? Callback,
    [property: JsonPropertyName("k")] string KeyName,
    [property: JsonPropertyName("b")] string? AnsweredBy = null);

/// <summary>
/// Encodes an <see cref="OutboundCallContext"/> as <c>{base64url JSON}.{base64url HMAC-SHA256}</c>, keyed from the
/// Twilio auth token like the stream token (no second secret), and checks it back. The URLs Twilio calls are signed by
/// Twilio too; this signature is ours, so a context is only ever one this api wrote.
/// </summary>
public sealed class OutboundContextCodec(IOptions<TwilioOptions> twilio)
{
    public const string QueryName = "ctx";

    /// <summary>Twilio documents 4,000 characters for a callback URL: the context keeps well under it.</summary>
    public const int MaxEncodedLength = 2_400;

    private static readonly byte[] KeyPurpose = "bridge/outbound-context/v1"u8.ToArray();
    private readonly byte[] _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(twilio.Value.AuthToken), KeyPurpose);

    public string Encode(OutboundCallContext context)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(context);
        return Base64Url.EncodeToString(json) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, json));
    }

    /// <summary>The context, or null when it is missing, malformed or not signed by this api.</summary>
    public OutboundCallContext? Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded) || encoded.Length > MaxEncodedLength || encoded.Split('.') is not [var body, var mac])
        {
            return null;
        }
        try
        {
            var json = Base64Url.DecodeFromChars(body);
            if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, json), Base64Url.DecodeFromChars(mac)))
            {
                return null;
            }
            return JsonSerializer.Deserialize<OutboundCallContext>(json);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
