using System.Diagnostics.CodeAnalysis;

namespace Bridge.Emulator.Signing;

/// <summary>The parts of an <c>AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...</c> header.</summary>
public sealed record SigV4Authorization(
    string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    public string SignedHeadersText => string.Join(';', SignedHeaders);

    public static bool TryParse(string? header, [NotNullWhen(true)] out SigV4Authorization? authorization, [NotNullWhen(false)] out string? problem)
    {
        authorization = null;
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            problem = $"Authorization header requires the {Algorithm} algorithm.";
            return false;
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }

        foreach (var (name, value) in new[] { ("Credential", credential), ("SignedHeaders", signedHeaders), ("Signature", signature) })
        {
            if (string.IsNullOrEmpty(value))
            {
                problem = $"Authorization header requires '{name}' parameter. Authorization={header}";
                return false;
            }
        }

        var scope = credential!.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            problem = $"Credential should be scoped to a valid region, not '{credential}'.";
            return false;
        }

        authorization = new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], signedHeaders!.Split(';'), signature!);
        problem = null;
        return true;
    }
}
