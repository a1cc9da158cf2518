using System.CommandLine;
using System.CommandLine.Invocation;

namespace Bridge.CallSimulator.Cli;

/// <summary>bridge-call's command line: its commands, run with the exit codes the docs promise.</summary>
public static class BridgeCallCommandLine
{
    public static RootCommand Create() => new RootCommand(
        "bridge-call: a call simulator that behaves like Twilio, for running and testing the bridge without a Twilio account. " +
        "'call' places one call; 'outbound' has a local api place one and shows what its operator receives; " +
        "'load' places many at once against a local system and measures latency and loss.")
    {
        CallCommand.Create(),
        OutboundCommand.Create(),
        LoadCommand.Create(),
    }.WithExamples(
        "(bridge-call is 'dotnet run --project tools/Bridge.CallSimulator --' from the repository root)",
        "dotnet run --project Bridge.AppHost",
        "    First, in another terminal: the system, with the Nova Sonic emulator when there is no AWS account.",
        "bridge-call call",
        "    One call to it, as Twilio would place it; a summary of what the caller heard.",
        "bridge-call outbound",
        "    An outbound call the local api places: the signed outcome and conversation its operator receives.",
        "bridge-call call --help",
        "    Everything a call can do: other audio, keypad presses, a worse line, another bridge.",
        "scripts/load-test.sh 100 45s 15s",
        "    A load test of one worker: 100 calls, round-trip latency and lost frames.").ShowingExamples();

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A command line that does not parse (an unknown option or command, a value
    /// that does not convert or fails its check, a missing value or command) gets System.CommandLine's usual errors and
    /// help and exits <see cref="ExitCodes.BadArguments"/>: the library's own code for it is 1, which here means a failed call.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var parse = Create().Parse(args);
        var exitCode = await parse.InvokeAsync(configuration, cancellationToken);
        // --help clears the parse errors (its action replaces this one), so it still exits 0.
        return parse.Action is ParseErrorAction ? ExitCodes.BadArguments : exitCode;
    }
}
