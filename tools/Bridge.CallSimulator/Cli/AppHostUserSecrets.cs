using System.Text.Json;

namespace Bridge.CallSimulator.Cli;

/// <summary>
/// The AppHost's user secrets on this machine, where it keeps the values it generated for a local run (the Twilio
/// auth token and account SID), so that local tools can act as the same Twilio account.
/// </summary>
public static class AppHostUserSecrets
{
    public const string UserSecretsId = "bridge-apphost-6c1f4c1e-2f3b-4f0e-9a77-1d5b2a0d7e11";

    /// <summary>Where <c>dotnet user-secrets</c> keeps the AppHost's secrets on this machine.</summary>
    public static string DefaultFile()
    {
        var root = OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Microsoft", "UserSecrets")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets");
        return Path.Combine(root, UserSecretsId, "secrets.json");
    }

    /// <summary>
    /// A value from the command line, else from <paramref name="environmentVariable"/>, else the AppHost's user secret
    /// <paramref name="key"/>: the value and where it came from, or null.
    /// </summary>
    public static (string Value, string Source)? Find(
        string? commandLine, string flag, string environmentVariable, string key, Func<string, string?> environment, string userSecretsFile)
    {
        if (!string.IsNullOrEmpty(commandLine))
        {
            return (commandLine, flag);
        }
        if (environment(environmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return (fromEnvironment, environmentVariable);
        }
        return Read(userSecretsFile, key) is { Length: > 0 } secret
            ? (secret, $"the AppHost's user secrets ({userSecretsFile})")
            : null;
    }

    /// <summary>Reads <paramref name="key"/> (<c>Parameters:name</c>) flat, as user-secrets writes it, or nested; null when absent.</summary>
    public static string? Read(string file, string key)
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
