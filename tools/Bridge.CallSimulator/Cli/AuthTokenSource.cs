namespace Bridge.CallSimulator.Cli;

/// <summary>
/// Finds the auth token to sign with: <c>--auth-token</c>, else <c>TWILIO_AUTH_TOKEN</c>, else the value the
/// AppHost generated and keeps in its user secrets (<c>Parameters:twilio-auth-token</c>), so a local
/// <c>dotnet run --project Bridge.AppHost</c> can be called with no flags.
/// </summary>
public static class AuthTokenSource
{
    public const string EnvironmentVariable = "TWILIO_AUTH_TOKEN";
    public const string AppHostUserSecretsId = AppHostUserSecrets.UserSecretsId;
    public const string SecretKey = "Parameters:twilio-auth-token";

    public sealed record Found(string Token, string Source);

    public static Found? Find(string? commandLine, Func<string, string?> environment, string userSecretsFile) =>
        AppHostUserSecrets.Find(commandLine, "--auth-token", EnvironmentVariable, SecretKey, environment, userSecretsFile) is { } found
            ? new Found(found.Value, found.Source)
            : null;

    /// <summary>Where <c>dotnet user-secrets</c> keeps the AppHost's secrets on this machine.</summary>
    public static string DefaultUserSecretsFile() => AppHostUserSecrets.DefaultFile();
}
