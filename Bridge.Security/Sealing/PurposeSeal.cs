using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.Security.Sealing;

/// <summary>
/// Seals bytes for one purpose: base64url of AES-256-GCM (a 12-byte random nonce, the ciphertext, the 16-byte tag)
/// under a key derived from a secret and the purpose's name (HMAC-SHA256), so that one secret (the Twilio auth token)
/// serves several purposes without a value sealed for one being readable as another. The tag makes a sealed value one
/// that a holder of the secret wrote; the encryption keeps its content out of the logs the value passes through.
/// Optional associated data binds a value to its context (a call SID): sealed for one call, it opens for no other.
/// </summary>
public sealed class PurposeSeal
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _key;

    public PurposeSeal(string secret, string purpose) =>
        _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(purpose));

    /// <summary>How long the sealed form of <paramref name="plaintextBytes"/> bytes is, in characters.</summary>
    public static int SealedLength(int plaintextBytes) => Base64Url.GetEncodedLength(NonceBytes + plaintextBytes + TagBytes);

    public string Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData = default)
    {
        var sealedValue = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedValue.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(NonceBytes, plaintext.Length), sealedValue.AsSpan(NonceBytes + plaintext.Length), associatedData);
        return Base64Url.EncodeToString(sealedValue);
    }

    /// <summary>The plaintext, or null when the value is missing, longer than <paramref name="maxLength"/>, malformed, or not sealed by this secret for this purpose (and associated data).</summary>
    public byte[]? Open(string? encoded, int maxLength, ReadOnlySpan<byte> associatedData = default)
    {
        if (string.IsNullOrEmpty(encoded) || encoded.Length > maxLength)
        {
            return null;
        }
        try
        {
            var sealedValue = Base64Url.DecodeFromChars(encoded);
            if (sealedValue.Length < NonceBytes + TagBytes)
            {
                return null;
            }
            var plaintext = new byte[sealedValue.Length - NonceBytes - TagBytes];
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(sealedValue.AsSpan(0, NonceBytes), sealedValue.AsSpan(NonceBytes, plaintext.Length), sealedValue.AsSpan(NonceBytes + plaintext.Length), plaintext, associatedData);
            return plaintext;
        }
        catch (Exception e) when (e is FormatException or AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
