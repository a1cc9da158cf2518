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
/// Encodes an <see cref="OutboundCallContext"/> as base64url of AES-256-GCM over its JSON (a 12-byte nonce, the
/// ciphertext, the 16-byte tag), keyed from the Twilio auth token for this one purpose like the stream token (no second
/// secret). The tag makes a context one this api wrote; the encryption keeps the operator's variables and callback URL out
/// of the load balancer's access logs and Twilio's request logs, where the URLs Twilio calls are written.
/// </summary>
public sealed class OutboundContextCodec(IOptions<TwilioOptions> twilio)
{
    public const string QueryName = "ctx";

    /// <summary>Twilio documents 4,000 characters for a callback URL: the context keeps well under it.</summary>
    public const int MaxEncodedLength = 2_400;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] KeyPurpose = "bridge/outbound-context/v1"u8.ToArray();
    private readonly byte[] _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(twilio.Value.AuthToken), KeyPurpose);

    public string Encode(OutboundCallContext context)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(context);
        var sealedContext = new byte[NonceBytes + json.Length + TagBytes];
        var nonce = sealedContext.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, json, sealedContext.AsSpan(NonceBytes, json.Length), sealedContext.AsSpan(NonceBytes + json.Length));
        return Base64Url.EncodeToString(sealedContext);
    }

    /// <summary>The context, or null when it is missing, malformed or not one this api wrote.</summary>
    public OutboundCallContext? Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded) || encoded.Length > MaxEncodedLength)
        {
            return null;
        }
        try
        {
            var sealedContext = Base64Url.DecodeFromChars(encoded);
            if (sealedContext.Length < NonceBytes + TagBytes)
            {
                return null;
            }
            var json = new byte[sealedContext.Length - NonceBytes - TagBytes];
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(sealedContext.AsSpan(0, NonceBytes), sealedContext.AsSpan(NonceBytes, json.Length), sealedContext.AsSpan(NonceBytes + json.Length), json);
            return JsonSerializer.Deserialize<OutboundCallContext>(json);
        }
        catch (Exception e) when (e is FormatException or JsonException or AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
