using Bridge.TwilioStandIn.Media;

namespace Bridge.TwilioStandIn.Outbound;

/// <summary>Who (or what) picks up an outbound call the stand-in places, or why nobody does.</summary>
public enum CalleeKind
{
    Person,
    Machine,
    Fax,
    Busy,
    NoAnswer,
    Failed,
}

/// <summary>
/// The stand-in's telephone network: fictional 555-01xx numbers, each answering one way, so a local outbound call can
/// reach a person, a voicemail or nobody on purpose. Any other number answers as a person.
/// </summary>
public static class Callees
{
    public const string Person = "+14155550100";
    public const string Machine = "+14155550101";
    public const string Busy = "+14155550102";
    public const string NoAnswer = "+14155550103";
    public const string Failed = "+14155550104";
    public const string Fax = "+14155550105";

    public static CalleeKind For(string number) => number switch
    {
        Machine => CalleeKind.Machine,
        Busy => CalleeKind.Busy,
        NoAnswer => CalleeKind.NoAnswer,
        Failed => CalleeKind.Failed,
        Fax => CalleeKind.Fax,
        _ => CalleeKind.Person,
    };

    /// <summary>Two seconds of listening (the agent speaks first), then "Yes, that works." (utterances/callee-reply.wav): shorter than detection's speech threshold, so a person.</summary>
    public static CallerAudio PersonSays { get; } = Embedded("callee-reply.wav");

    /// <summary>A voicemail greeting ending in a 1 kHz beep (utterances/voicemail-greeting.wav).</summary>
    public static CallerAudio MachineGreeting { get; } = Embedded("voicemail-greeting.wav");

    private static CallerAudio Embedded(string name)
    {
        using var stream = typeof(Callees).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the stand-in");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var wav = WavFile.Read(buffer.ToArray());
        if (wav is not { Encoding: WavEncoding.MuLaw, SampleRate: 8000, Channels: 1 })
        {
            throw new InvalidDataException($"{name} must be 8 kHz mono µ-law, as Twilio streams it");
        }
        return CallerAudio.FromMuLaw(wav.Data);
    }
}
