using Bridge.TwilioStandIn.Calls;

namespace Bridge.TwilioStandIn.Outbound;

/// <summary>How one outbound call the stand-in placed went, from the callee's side.</summary>
/// <param name="FinalStatus">Twilio's final <c>CallStatus</c>: completed, busy, no-answer or failed.</param>
/// <param name="AnsweredBy">The answering machine detection's verdict, when it ran and reached one.</param>
/// <param name="DetectedAt">When the verdict was reached, from the answer.</param>
/// <param name="GreetingEnd">When the callee's own audio ended (a voicemail greeting's beep), from the answer.</param>
/// <param name="Call">The answered call as the stand-in ran it: documents fetched, TwiML verbs, the stream.</param>
public sealed record OutboundCallReport(
    string CallSid,
    string To,
    string From,
    CalleeKind Callee,
    string FinalStatus,
    string? AnsweredBy,
    TimeSpan? DetectedAt,
    TimeSpan? GreetingEnd,
    int DurationSeconds,
    CallSummary? Call)
{
    /// <summary>The text of each <c>&lt;Say&gt;</c> the call ran (a voicemail message after the beep).</summary>
    public IEnumerable<string> Said =>
        (Call?.Steps ?? []).Where(s => s.StartsWith("<Say> \"", StringComparison.Ordinal)).Select(s => s["<Say> \"".Length..^1]);

    public string Describe() => FinalStatus != "completed"
        ? $"Outbound call {CallSid} to {To} ({Callee}): {FinalStatus}"
        : $"Outbound call {CallSid} to {To} ({Callee}): answered by {AnsweredBy ?? "(no verdict)"}{(DetectedAt is { } at ? $" at {at.TotalSeconds:0.0} s" : "")}, {DurationSeconds} s; {Call?.Outcome}" +
          string.Concat(Said.Select(text => $"; said \"{text}\""));
}
