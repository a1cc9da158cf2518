using System.CommandLine;
using Bridge.CallSimulator.Cli;

namespace Bridge.Tests.Tools.CallSimulator;

/// <summary>
/// <c>--speed</c> sends caller audio faster than real time, which Twilio never does: the media worker closes such a call
/// once its audio is <c>Calls:MaxCallerAudioAhead</c> ahead (2 s by default), so at --speed 2 a call is cut after about
/// 2 s. The help must say so, or the option looks broken against a default worker.
/// </summary>
public sealed class CallSpeedHelpTests
{
    [Fact]
    public async Task The_help_of_speed_names_the_workers_limit_on_audio_ahead_of_real_time()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exitCode = await BridgeCallCommandLine.RunAsync(["call", "--help"], new InvocationConfiguration { Output = output, Error = errors });

        Assert.Equal(0, exitCode);
        var help = string.Join(' ', output.ToString().Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Calls:MaxCallerAudioAhead", help, StringComparison.Ordinal);
    }
}
