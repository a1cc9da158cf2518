namespace Bridge.Agents.Tools;

/// <summary>The tools the media worker implements itself; a profile chooses them by name.</summary>
public static class BuiltInTools
{
    /// <summary>Ends the call once the goodbye has been heard.</summary>
    public const string HangUp = "hang_up";

    /// <summary>Transfers the caller to one of the agent's named destinations.</summary>
    public const string TransferCall = "transfer_call";

    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { HangUp, TransferCall };
}
