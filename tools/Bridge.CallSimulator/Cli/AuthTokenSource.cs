using System.Text.Json;

namespace Bridge.CallSimulator.Cli;

/// <summary>
/// Finds the auth token to sign with: <c>--auth-token</c>, else <c>TWILIO_AUTH_TOKEN</c>, else the value the
/// AppHost generated and keeps in its user secrets (<c>Parameters:twilio-auth-token</c>), so a local
/// <c>dotnet run --project Bridge.AppHost</c> can be called with no flags.
/// </summary>
public static class AuthTokenSource
{
    public const string EnvironmentVariable = "TWILIO_AUTH_TOKEN";
    public const string AppHostUserSecretsId = "bridge-apphost-6c1f4c1e-2f3b-4f0e-9a77-1d5b2a0d7e11";
    public const string SecretKey = "Parameters:twilio-auth-token";

    public sealed record Found(string Token, string Source);

    public static Found? Find(string? commandLine, Func<string, string?> environment, string userSecretsFile)
    {
        if (!string.IsNullOrEmpty(commandLine))
        {
            return new Found(commandLine, "--auth-token");
        }
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return new Found(fromEnvironment, EnvironmentVariable);
        }
        return ReadUserSecret(userSecretsFile, SecretKey) is { Length: > 0 } secret
            ? new Found(secret, $"the AppHost's user secrets ({userSecretsFile})")
            : null;
    }

    /// <summary>Where <c>dotnet user-secrets</c> keeps the AppHost's secrets on this machine.</summary>
    public static string DefaultUserSecretsFile()
    {
        var root = OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Microsoft", "UserSecrets")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets");
        return Path.Combine(root, AppHostUserSecretsId, "secrets.json");
    }

    /// <summary>Reads <paramref name="key"/> (<c>Section:name</c>) flat, as user-secrets writes it, or nested.</summary>
    public static string? ReadUserSecret(string file, string key)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.TryGetProperty(key, out var flat) && flat.ValueKind == JsonValueKind.String)
            {
                return flat.GetString();
            }
            var (section, name) = (key[..key.IndexOf(':')], key[(key.IndexOf(':') + 1)..]);
            return root.TryGetProperty(section, out var nested) && nested.ValueKind == JsonValueKind.Object &&
                   nested.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
