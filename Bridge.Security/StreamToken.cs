using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.Security;

/// <summary>
/// The proof that a media stream was issued by our webhook. The webhook signs the stream's parameters (call SID,
/// caller, callee, ...) and an expiry; the worker, on whichever task the WebSocket lands, checks them before any
/// audio reaches the model. The key is derived from the Twilio auth token, so no second secret is needed.
/// Form: <c>v1.{expiry unix seconds}.{base64url HMAC-SHA256}</c>.
/// </summary>
public sealed class StreamToken
{
    public const string ParameterName = "token";
    public const string CallSidParameter = "callSid";

    private const string Version = "v1";
    private static readonly byte[] KeyPurpose = "bridge/stream-token/v1"u8.ToArray();

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public StreamToken(string authToken, TimeProvider time)
    {
        _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(authToken), KeyPurpose);
        _time = time;
    }

    /// <summary>Signs the parameters (which must include <c>callSid</c>) until <paramref name="lifetime"/> from now.</summary>
    public string Issue(IReadOnlyDictionary<string, string> parameters, TimeSpan lifetime)
    {
        if (!parameters.TryGetValue(CallSidParameter, out var callSid) || string.IsNullOrEmpty(callSid))
        {
            throw new ArgumentException("A stream token binds a call: the parameters must include callSid.", nameof(parameters));
        }
        if (parameters.ContainsKey(ParameterName))
        {
            throw new ArgumentException("The token cannot sign itself.", nameof(parameters));
        }

        var expires = _time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        return $"{Version}.{expires.ToString(CultureInfo.InvariantCulture)}.{Sign(expires, parameters)}";
    }

    /// <summary>
    /// Checks the token among the stream's custom parameters: every other parameter must be exactly what was
    /// signed, it must not have expired, and its call SID must be the one Twilio reports for the stream.
    /// </summary>
    public StreamTokenCheck Verify(IReadOnlyDictionary<string, string> customParameters, string streamCallSid) =>
        Verify(customParameters, streamCallSid, out _);

    /// <summary>As <see cref="Verify(IReadOnlyDictionary{string, string}, string)"/>; a valid token's expiry comes out too.</summary>
    public StreamTokenCheck Verify(IReadOnlyDictionary<string, string> customParameters, string streamCallSid, out DateTimeOffset expiresAt)
    {
        expiresAt = default;
        if (!customParameters.TryGetValue(ParameterName, out var token) || string.IsNullOrEmpty(token))
        {
            return StreamTokenCheck.Missing;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Version ||
            !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return StreamTokenCheck.Malformed;
        }

        var signed = customParameters
            .Where(p => p.Key != ParameterName)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var expected = Encoding.ASCII.GetBytes(Sign(expires, signed));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
        {
            return StreamTokenCheck.BadSignature;
        }
        if (_time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return StreamTokenCheck.Expired;
        }
        if (!signed.TryGetValue(CallSidParameter, out var callSid) || callSid != streamCallSid)
        {
            return StreamTokenCheck.CallSidMismatch;
        }
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        return StreamTokenCheck.Valid;
    }

    private string Sign(long expires, IReadOnlyDictionary<string, string> parameters)
    {
        // Each name and value is length-prefixed so that no two different parameter sets share a signed text.
        var text = new StringBuilder(Version).Append('\n').Append(expires.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(name.Length).Append(':').Append(name)
                .Append('=').Append(value.Length).Append(':').Append(value);
        }
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text.ToString()));
        return Base64Url.EncodeToString(mac);
    }
}
