using System.Globalization;

namespace Bridge.Emulator.Hosting;

/// <summary>The emulator's command line: each option sets one <see cref="EmulatorOptions"/> property.</summary>
internal static class CommandLine
{
    private sealed record Option(string Name, string Value, string Help, Action<EmulatorOptions, string> Apply);

    private static readonly Option[] Options =
    [
        new("--port", "N", $"Port to listen on (default {EmulatorDefaults.Port}; 0 = any free port).", (o, v) => o.Port = Int(v)),
        new("--health-port", "N", "Extra HTTP/1.1 port for /health/liveness and /health/readiness (the model port speaks only HTTP/2).", (o, v) => o.HealthPort = Int(v)),
        new("--host", "ADDRESS", "Address to listen on: 127.0.0.1 (default), localhost, 0.0.0.0 or an IP.", (o, v) => o.Host = v),
        new("--tls-certificate", "PATH", "PFX/PEM certificate: serve HTTP/2 over TLS instead of cleartext h2c.", (o, v) => o.TlsCertificatePath = v),
        new("--tls-password", "PASSWORD", "Password of the certificate.", (o, v) => o.TlsCertificatePassword = v),
        new("--access-key-id", "ID", $"Access key id to accept (default {EmulatorDefaults.AccessKeyId}).", (o, v) => o.AccessKeyId = v),
        new("--secret-access-key", "SECRET", "Secret access key to verify signatures with (default printed at start).", (o, v) => o.SecretAccessKey = v),
        new("--region", "REGION", $"Region of the signatures (default {EmulatorDefaults.Region}).", (o, v) => o.Region = v),
        new("--clock-skew", "DURATION", "Allowed difference between a signature's time and the emulator's (default 5m).", (o, v) => o.AllowedClockSkew = Duration(v)),
        new("--mode", "echo|loopback", "echo: answer each utterance like a model turn (default). loopback: return every audioInput at once.", (o, v) => o.Mode = Enum.Parse<EmulatorMode>(v, ignoreCase: true)),
        new("--session-limit", "DURATION", "End every stream with modelTimeoutException after this long (default 8m).", (o, v) => o.SessionLimit = Duration(v)),
        new("--speech-threshold", "RMS", "RMS level (of 32767) from which 10 ms of caller audio is speech (default 500).", (o, v) => o.SpeechThreshold = Int(v)),
        new("--end-of-utterance", "DURATION", "Silence that ends an utterance (default 600ms).", (o, v) => o.EndOfUtteranceSilence = Duration(v)),
        new("--min-utterance", "DURATION", "Shorter speech is ignored (default 100ms).", (o, v) => o.MinimumUtterance = Duration(v)),
        new("--barge-in", "DURATION", "Caller speech this long interrupts the emulator while it speaks (default 60ms).", (o, v) => o.BargeInSpeech = Duration(v)),
        new("--output-speed", "FACTOR", "How much faster than real time audio is sent (default 4; 0 = unpaced).", (o, v) => o.OutputSpeed = double.Parse(v, CultureInfo.InvariantCulture)),
        new("--output-chunk", "DURATION", "Audio per audioOutput event (default 40ms).", (o, v) => o.OutputChunk = Duration(v)),
        new("--spoken-text", "DURATION", "How long it speaks (a chime) in reply to interactive text or a tool result (default 1200ms).", (o, v) => o.SpokenTextDuration = Duration(v)),
        new("--tool-trigger", "TEXT=TOOL[:JSON]", "Interactive text containing TEXT calls TOOL with input JSON, or without one an input made from the tool's schema (repeatable; replaces the defaults 'pressed 9=hang_up', 'pressed 0=transfer_call').", AddToolTrigger),
        new("--faults", "SPEC", "Faults for every stream, e.g. 'exception@3', 'reset@2s', 'throttle', 'corrupt-crc', 'slow=250ms' (see docs/emulator.md).", (o, v) => o.Faults = v),
    ];

    /// <summary>Applies the arguments to <paramref name="options"/>; returns an error, or null. <paramref name="help"/> is set by --help.</summary>
    public static string? Apply(string[] args, EmulatorOptions options, out bool help)
    {
        help = false;
        var replacedTriggers = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--help" or "-h" or "-?")
            {
                help = true;
                return null;
            }

            var option = Options.FirstOrDefault(o => o.Name == args[i]);
            if (option is null)
            {
                return $"Unknown option '{args[i]}'. Run with --help to see the options.";
            }

            if (i + 1 >= args.Length)
            {
                return $"Option {option.Name} needs a value ({option.Value}).";
            }

            if (option.Name == "--tool-trigger" && !replacedTriggers)
            {
                options.ToolTriggers = [];
                replacedTriggers = true;
            }

            try
            {
                option.Apply(options, args[++i]);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                return $"Option {option.Name} has a bad value '{args[i]}' (expected {option.Value}).";
            }
        }

        return null;
    }

    public static string HelpText()
    {
        var lines = new List<string>
        {
            "Bridge.Emulator — a local stand-in for Amazon Bedrock Runtime's Nova Sonic bidirectional stream.",
            "",
            "It serves POST /model/{modelId}/invoke-with-bidirectional-stream over HTTP/2 (cleartext h2c with prior",
            "knowledge, or TLS with --tls-certificate), verifies SigV4 and every event's chunk signature with the",
            "credentials below, enforces Nova's event order, and answers like the model: it echoes each caller utterance",
            "(energy VAD, not speech recognition) with transcripts and audio at the promptStart's output rate, honours",
            "barge-in, speaks when given interactive text, calls tools on trigger phrases, ends streams at the session",
            "limit, and injects faults on request (per stream with the x-emulator-fault request header).",
            "",
            "Usage: dotnet run --project tools/Bridge.Emulator -- [options]",
            "",
            "Options:",
        };
        foreach (var option in Options)
        {
            lines.Add($"  {option.Name} {option.Value}".PadRight(44) + option.Help);
        }

        lines.Add("  --help".PadRight(44) + "Show this text.");
        lines.Add("");
        lines.Add("Every option can also be set in configuration (appsettings.json, environment variables), e.g.");
        lines.Add("Emulator__Port=5281, Emulator__Mode=Loopback, Emulator__Faults=exception@10. Durations: 90s, 500ms, 8m or 00:08:00 on");
        lines.Add("the command line, 00:01:30 in configuration (Emulator__SessionLimit=00:01:30).");
        lines.Add("Point an AWS SDK at it with AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:<port> and the credentials it prints.");
        return string.Join(Environment.NewLine, lines);
    }

    internal static TimeSpan Duration(string text)
    {
        static double Number(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            return TimeSpan.FromMilliseconds(Number(text[..^2]));
        }

        if (text.EndsWith('s'))
        {
            return TimeSpan.FromSeconds(Number(text[..^1]));
        }

        if (text.EndsWith('m'))
        {
            return TimeSpan.FromMinutes(Number(text[..^1]));
        }

        return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static void AddToolTrigger(EmulatorOptions options, string value)
    {
        var equals = value.IndexOf('=');
        if (equals <= 0)
        {
            throw new FormatException();
        }

        var rest = value[(equals + 1)..];
        var colon = rest.IndexOf(':');
        options.ToolTriggers.Add(new ToolTrigger
        {
            Contains = value[..equals],
            ToolName = colon < 0 ? rest : rest[..colon],
            Input = colon < 0 ? "auto" : rest[(colon + 1)..],
        });
    }
}
