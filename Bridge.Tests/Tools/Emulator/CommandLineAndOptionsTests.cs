using Bridge.Emulator;
using Bridge.Emulator.Hosting;

namespace Bridge.Tests.Tools.Emulator;

public sealed class CommandLineAndOptionsTests
{
    [Fact]
    public void Every_option_is_applied_to_the_options()
    {
        var options = new EmulatorOptions();

        var error = CommandLine.Apply(
        [
            "--port", "6000", "--health-port", "6001", "--host", "0.0.0.0", "--access-key-id", "AKIDX", "--secret-access-key", "s3",
            "--region", "eu-west-1", "--clock-skew", "90s", "--mode", "loopback", "--session-limit", "2m", "--speech-threshold", "900",
            "--end-of-utterance", "450ms", "--min-utterance", "50ms", "--barge-in", "80ms", "--output-speed", "2.5", "--output-chunk", "20ms",
            "--spoken-text", "2s", "--tool-trigger", "pressed 5=transfer_call:{\"to\":\"sales\"}", "--faults", "exception@4",
            "--tls-certificate", "/tmp/cert.pfx", "--tls-password", "pw",
        ], options, out var help);

        Assert.Null(error);
        Assert.False(help);
        Assert.Equal((6000, 6001, "0.0.0.0"), (options.Port, options.HealthPort, options.Host));
        Assert.Equal(("AKIDX", "s3", "eu-west-1"), (options.AccessKeyId, options.SecretAccessKey, options.Region));
        Assert.Equal(TimeSpan.FromSeconds(90), options.AllowedClockSkew);
        Assert.Equal(EmulatorMode.Loopback, options.Mode);
        Assert.Equal(TimeSpan.FromMinutes(2), options.SessionLimit);
        Assert.Equal(900, options.SpeechThreshold);
        Assert.Equal((TimeSpan.FromMilliseconds(450), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(80)),
            (options.EndOfUtteranceSilence, options.MinimumUtterance, options.BargeInSpeech));
        Assert.Equal((2.5, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2)), (options.OutputSpeed, options.OutputChunk, options.SpokenTextDuration));
        var trigger = Assert.Single(options.ToolTriggers);
        Assert.Equal(("pressed 5", "transfer_call", """{"to":"sales"}"""), (trigger.Contains, trigger.ToolName, trigger.Input));
        Assert.Equal("exception@4", options.Faults);
        Assert.Equal(("/tmp/cert.pfx", "pw"), (options.TlsCertificatePath, options.TlsCertificatePassword));
    }

    [Fact]
    public void The_help_explains_every_option()
    {
        var help = CommandLine.HelpText();

        foreach (var option in new[] { "--port", "--health-port", "--host", "--tls-certificate", "--tls-password", "--access-key-id",
                     "--secret-access-key", "--region", "--clock-skew", "--mode", "--session-limit", "--speech-threshold",
                     "--end-of-utterance", "--min-utterance", "--barge-in", "--output-speed", "--output-chunk", "--spoken-text",
                     "--tool-trigger", "--faults", "--help" })
        {
            Assert.Contains(option + " ", help, StringComparison.Ordinal);
        }

        Assert.Null(CommandLine.Apply(["--help"], new EmulatorOptions(), out var asked));
        Assert.True(asked);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "Unknown option '--bogus'")]
    [InlineData(new[] { "--port" }, "--port needs a value")]
    [InlineData(new[] { "--port", "many" }, "--port has a bad value 'many'")]
    [InlineData(new[] { "--mode", "parrot" }, "--mode has a bad value 'parrot'")]
    public void A_bad_command_line_is_explained(string[] args, string message)
    {
        Assert.Contains(message, CommandLine.Apply(args, new EmulatorOptions(), out _), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_refused_at_start_naming_their_configuration_keys()
    {
        var options = new EmulatorOptions
        {
            Port = 70000,
            SessionLimit = TimeSpan.Zero,
            Faults = "explode",
            SpeechThreshold = 0,
            ToolTriggers = [new ToolTrigger { Contains = "x", ToolName = "t", Input = "[1]" }],
        };

        var result = new EmulatorOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Emulator:Port must be between 0 and 65535", result.Failures);
        Assert.Contains("Emulator:SessionLimit must be positive", result.Failures);
        Assert.Contains("Emulator:SpeechThreshold must be between 1 and 32767", result.Failures);
        Assert.Contains("Emulator:ToolTriggers:0:Input must be a JSON object or auto", result.Failures);
        Assert.Contains(result.Failures, f => f.StartsWith("Emulator:Faults has an unknown fault", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_in_process_start_refuses_bad_options()
    {
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => EmulatorServer.StartAsync(new EmulatorOptions { OutputSpeed = -1 }));
    }

    [Fact]
    public void The_default_options_are_valid_and_accept_the_default_credentials()
    {
        var options = new EmulatorOptions();

        Assert.True(new EmulatorOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal((EmulatorDefaults.AccessKeyId, EmulatorDefaults.SecretAccessKey, "us-east-1"), (options.AccessKeyId, options.SecretAccessKey, options.Region));
        Assert.Equal(TimeSpan.FromMinutes(8), options.SessionLimit);
    }
}
