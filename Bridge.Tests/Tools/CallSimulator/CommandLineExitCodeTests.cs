using System.CommandLine;
using Bridge.CallSimulator.Cli;
using Bridge.Tests.Support;

namespace Bridge.Tests.Tools.CallSimulator;

/// <summary>
/// bridge-call's exit codes for its command line (docs/call-simulator.md): 2 for one it refuses, whatever the command,
/// so that a script (scripts/load-test.sh) tells a typo from a failed call (1); 0 for --help.
/// </summary>
public sealed class CommandLineExitCodeTests
{
    [Theory]
    // Unknown options and commands.
    [InlineData("call --bogus", "Unrecognized command or argument '--bogus'.")]
    [InlineData("outbound --bogus", "Unrecognized command or argument '--bogus'.")]
    [InlineData("load --bogus", "Unrecognized command or argument '--bogus'.")]
    [InlineData("dial", "Unrecognized command or argument 'dial'.")]
    // Values that fail their checks.
    [InlineData("call --speed 0", "--speed must be a number above 0 and at most 100, not '0'.")]
    [InlineData("call --dtmf x", "--dtmf ")]
    [InlineData("outbound --var x", "--var must be name=value, not 'x'.")]
    [InlineData("outbound --account-sid AC1", "--account-sid must be AC followed by 32 hex digits.")]
    [InlineData("load --calls 0", "--calls must be a whole number from 1 to 1000, not '0'.")]
    [InlineData("load --max-lost 2", "--max-lost must be a share from 0 to 100%")]
    // Values that do not parse.
    [InlineData("call --speed fast", "--speed must be a number above 0 and at most 100, not 'fast'.")]
    [InlineData("call --max-duration soon", "--max-duration must be a duration like 30s")]
    [InlineData("outbound --api notaurl", "--api must be an absolute http(s) URL, not 'notaurl'.")]
    [InlineData("load --calls many", "--calls must be a whole number from 1 to 1000, not 'many'.")]
    [InlineData("load --worker-pid abc", "Cannot parse argument 'abc' for option '--worker-pid'")]
    // Missing values and commands.
    [InlineData("call --from", "Required argument missing for option: '--from'.")]
    [InlineData("outbound --to", "Required argument missing for option: '--to'.")]
    [InlineData("load --calls", "Required argument missing for option: '--calls'.")]
    [InlineData("", "Required command was not provided.")]
    public async Task A_refused_command_line_exits_2_with_the_error_and_the_help(string commandLine, string error)
    {
        var (exitCode, output, errors) = await RunAsync(commandLine);

        Assert.True(exitCode == 2, $"exit {exitCode}: {errors}");
        Assert.Contains(error, errors, StringComparison.Ordinal);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("call --help")]
    [InlineData("outbound --help")]
    [InlineData("load --help")]
    [InlineData("load --bogus --calls 0 --help")]
    public async Task Help_exits_0_with_the_examples(string commandLine)
    {
        var (exitCode, output, errors) = await RunAsync(commandLine);

        Assert.True(exitCode == 0, $"exit {exitCode}: {errors}");
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
        Assert.Equal("", errors);
    }

    [Fact]
    public async Task The_process_exits_2_for_a_refused_command_line_and_0_for_help()
    {
        var refused = await ServiceProcess.RunUntilExitAsync("bridge-call", new Dictionary<string, string>(), TimeSpan.FromSeconds(60), "load", "--calls", "0");
        var help = await ServiceProcess.RunUntilExitAsync("bridge-call", new Dictionary<string, string>(), TimeSpan.FromSeconds(60), "load", "--help");

        Assert.True(refused.Code == 2, $"exit {refused.Code}: {refused.StandardError}");
        Assert.Contains("--calls must be a whole number from 1 to 1000, not '0'.", refused.StandardError, StringComparison.Ordinal);
        Assert.True(help.Code == 0, $"exit {help.Code}: {help.StandardError}");
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string commandLine)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var exitCode = await BridgeCallCommandLine.RunAsync(args, new InvocationConfiguration { Output = output, Error = errors });

        return (exitCode, output.ToString(), errors.ToString());
    }
}
