namespace Bridge.Emulator;

/// <summary>Everything the emulator can be told; bound from the <c>Emulator</c> configuration section.</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>The address to listen on. The command line defaults to loopback; tests always use loopback.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port to listen on; 0 (the default here; the command line defaults to <see cref="EmulatorDefaults.Port"/>) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>
    /// An extra HTTP/1.1 port for health checks (/health/liveness, /health/readiness): the cleartext model port
    /// speaks only HTTP/2 and HTTP/1.1 health probes cannot reach it. Not set: no extra port.
    /// </summary>
    public int? HealthPort { get; set; }

    /// <summary>With a certificate the emulator speaks HTTP/2 over TLS (ALPN h2); without, HTTP/2 cleartext (prior knowledge).</summary>
    public string? TlsCertificatePath { get; set; }

    public string? TlsCertificatePassword { get; set; }

    public string AccessKeyId { get; set; } = EmulatorDefaults.AccessKeyId;

    public string SecretAccessKey { get; set; } = EmulatorDefaults.SecretAccessKey;

    public string Region { get; set; } = EmulatorDefaults.Region;

    /// <summary>How far a request's x-amz-date or a frame's :date may be from the emulator's clock.</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public EmulatorMode Mode { get; set; } = EmulatorMode.Echo;

    /// <summary>How long a stream may live before a modelTimeoutException ends it, as Bedrock does at about 8 minutes.</summary>
    public TimeSpan SessionLimit { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>RMS level (of 32767) from which a 10 ms block of caller audio counts as speech.</summary>
    public int SpeechThreshold { get; set; } = 500;

    /// <summary>Silence after speech that ends an utterance (the echo agent then answers).</summary>
    public TimeSpan EndOfUtteranceSilence { get; set; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Speech shorter than this is ignored as a click or noise.</summary>
    public TimeSpan MinimumUtterance { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Speech this long while the emulator speaks interrupts it (barge-in).</summary>
    public TimeSpan BargeInSpeech { get; set; } = TimeSpan.FromMilliseconds(60);

    /// <summary>How much faster than real time audio output is sent (the real model is faster than real time); 0 sends it unpaced.</summary>
    public double OutputSpeed { get; set; } = 4.0;

    /// <summary>Duration of audio carried by one audioOutput event.</summary>
    public TimeSpan OutputChunk { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>How long the emulator "speaks" (a tone) when an interactive text asks it to (a greeting, a tool's result).</summary>
    public TimeSpan SpokenTextDuration { get; set; } = TimeSpan.FromMilliseconds(1200);

    /// <summary>Interactive texts that make the model call a tool (only tools the promptStart declares are called).</summary>
    public List<ToolTrigger> ToolTriggers { get; set; } =
    [
        new() { Contains = "pressed 9", ToolName = "hang_up", Input = "{}" },
        new() { Contains = "pressed 0", ToolName = "transfer_call", Input = "auto" },
    ];

    /// <summary>Faults injected into every stream, in the syntax of the x-emulator-fault header (see docs/emulator.md).</summary>
    public string? Faults { get; set; }
}

/// <summary>An interactive text containing <see cref="Contains"/> (case-insensitive) makes the model call <see cref="ToolName"/>.</summary>
public sealed class ToolTrigger
{
    public string Contains { get; set; } = "";

    public string ToolName { get; set; } = "";

    /// <summary>
    /// The toolUse's content: the tool's input, a JSON object as a string; <c>auto</c> makes one from the declared
    /// tool's schema (every required property: its default, example, const or first enum value).
    /// </summary>
    public string Input { get; set; } = "{}";
}
