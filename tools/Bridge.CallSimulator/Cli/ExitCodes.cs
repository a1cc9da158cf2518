namespace Bridge.CallSimulator.Cli;

/// <summary>The exit codes of bridge-call that scripts tell apart (docs/call-simulator.md; scripts/load-test.sh passes them on).</summary>
public static class ExitCodes
{
    /// <summary>A command line or setting it refuses: nothing was called. A failed call or run is 1, so a script can tell a typo from a failure.</summary>
    public const int BadArguments = 2;
}
