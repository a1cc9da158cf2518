namespace Bridge.Api.Outbound;

/// <summary>How an outbound call ended, from Twilio's final status and the answering machine detection's verdict.</summary>
public static class OutboundOutcome
{
    /// <summary>A person (or someone AMD could not classify) answered and talked with the agent.</summary>
    public const string Answered = "answered";

    /// <summary>A machine answered and the agent's message was said after the beep.</summary>
    public const string VoicemailLeft = "voicemail-left";

    /// <summary>A machine answered and the agent leaves no message: the call was hung up.</summary>
    public const string MachineHungUp = "machine-hung-up";

    /// <summary>A fax machine answered: hung up.</summary>
    public const string Fax = "fax";

    /// <summary>Twilio's final call statuses: the call is over.</summary>
    public static readonly IReadOnlySet<string> FinalStatuses = new HashSet<string>(StringComparer.Ordinal) { "completed", "busy", "no-answer", "failed", "canceled" };

    /// <summary>The <c>AnsweredBy</c> values Twilio documents for a machine (<c>machine_start</c> with plain detection, the rest with <c>DetectMessageEnd</c>).</summary>
    private static readonly IReadOnlySet<string> MachineVerdicts = new HashSet<string>(StringComparer.Ordinal)
    {
        "machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other",
    };

    /// <summary>A machine by a value Twilio documents; anything else that is not a fax is treated as a person.</summary>
    public static bool IsMachine(string? answeredBy) => answeredBy is not null && MachineVerdicts.Contains(answeredBy);

    /// <summary>Whether Twilio documents <paramref name="answeredBy"/>: <c>human</c>, <c>unknown</c>, <c>fax</c> or a machine's.</summary>
    public static bool IsDocumented(string answeredBy) => answeredBy is "human" or "unknown" or "fax" || IsMachine(answeredBy);

    /// <summary>
    /// <c>busy</c>, <c>no-answer</c>, <c>failed</c>, <c>canceled</c> as Twilio says; a completed call by whom it reached:
    /// <see cref="VoicemailLeft"/> or <see cref="MachineHungUp"/>, <see cref="Fax"/>, else <see cref="Answered"/>.
    /// </summary>
    public static string Classify(string callStatus, string? answeredBy, bool leavesVoicemail) => callStatus switch
    {
        "completed" when IsMachine(answeredBy) => leavesVoicemail ? VoicemailLeft : MachineHungUp,
        "completed" when answeredBy == "fax" => Fax,
        "completed" => Answered,
        _ => callStatus,
    };

    /// <summary>The outcome in a sentence, for the operator's callback and the log.</summary>
    public static string Describe(string outcome, string? answeredBy, int? durationSeconds)
    {
        var lasted = durationSeconds is { } seconds ? $"; the call lasted {seconds} s" : "";
        return outcome switch
        {
            Answered => (answeredBy == "unknown" ? "Answered (answering machine detection could not tell who) and talked with the agent" : "A person answered and talked with the agent") + lasted + ".",
            VoicemailLeft => "An answering machine answered; the agent's message was left after the beep" + lasted + ".",
            MachineHungUp => "An answering machine answered; the agent leaves no message, so the call was hung up" + lasted + ".",
            Fax => "A fax machine answered; the call was hung up" + lasted + ".",
            "busy" => "The line was busy.",
            "no-answer" => "Nobody answered before the ring timeout.",
            "canceled" => "The call was canceled before it was answered.",
            _ => "Twilio could not place the call (failed).",
        };
    }
}
