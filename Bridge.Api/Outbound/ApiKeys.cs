using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Outbound;

/// <summary>
/// Tells which configured key a request's <c>Authorization: Bearer …</c> carries. Keys are kept only as SHA-256 hashes;
/// the presented key is hashed and compared with every one in constant time (no early exit), so neither the time taken
/// nor the order of keys says how much of a guess was right.
/// </summary>
public sealed class ApiKeys
{
    private readonly (string Name, byte[] Hash)[] _keys;

    public ApiKeys(IOptions<OutboundOptions> options) =>
        _keys = [.. options.Value.ApiKeys.Select(k => (k.Key, SHA256.HashData(Encoding.UTF8.GetBytes(k.Value))))];

    /// <summary>The name of the key the header carries, or null (no header, not Bearer, or no key matches).</summary>
    public string? Authenticate(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        string? match = null;
        foreach (var (name, hash) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                match = name;
            }
        }
        return match;
    }
}
