using Bridge.TwilioStandIn.Calls;

namespace Bridge.CallSimulator.Cli;

/// <summary>
/// Finds the account SID calls are placed as, the way <see cref="AuthTokenSource"/> finds the token: <c>--account-sid</c>,
/// else <c>TWILIO_ACCOUNT_SID</c>, else the value the AppHost generated for its worker (<c>Parameters:twilio-account-sid</c>
/// in its user secrets), else a fixed simulated account. A worker refuses streams of any account but its own.
/// </summary>
public static class AccountSidSource
{
    public const string EnvironmentVariable = "TWILIO_ACCOUNT_SID";
    public const string SecretKey = "Parameters:twilio-account-sid";

    public sealed record Found(string AccountSid, string Source);

    public static Found Find(string? commandLine, Func<string, string?> environment, string userSecretsFile) =>
        AppHostUserSecrets.Find(commandLine, "--account-sid", EnvironmentVariable, SecretKey, environment, userSecretsFile) is { } found
            ? new Found(found.Value, found.Source)
            : new Found(CallSimulationOptions.DefaultAccountSid, "the simulator's default");
}
