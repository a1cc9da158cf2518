namespace Bridge.MediaWorker.Outbound;

/// <summary>
/// What the conversation callback tells the operator about an outbound call's conversation once it has ended
/// (<c>"event": "call.conversation"</c>): who talked, how it ended, what was said, which tools ran, what it cost.
/// </summary>
public sealed record CallConversation(
    string CallSid,
    string StreamSid,
    string Agent,
    string To,
    string From,
    IReadOnlyDictionary<string, string> Variables,
    string EndReason,
    double DurationSeconds,
    int CalleeTurns,
    int AgentTurns,
    int Interruptions,
    IReadOnlyList<CallConversation.Turn>? Turns,
    int TurnsOmitted,
    IReadOnlyList<CallConversation.ToolRun> Tools,
    CallConversation.TokenUsage Usage,
    DateTimeOffset Timestamp)
{
    public const string EventName = "call.conversation";

    public string Event => EventName;

    /// <summary>One turn: <c>agent</c> (as the person heard it) or <c>callee</c> (as the model transcribed it), seconds into the conversation.</summary>
    public sealed record Turn(string Speaker, string Text, double AtSeconds, bool Interrupted);

    /// <summary>A tool the agent ran: how it ended (<c>succeeded</c>, <c>failed</c>, <c>timed-out</c>, …) and how long it took.</summary>
    public sealed record ToolRun(string Name, string Outcome, long LatencyMs);

    public sealed record TokenUsage(long InputTokens, long OutputTokens);
}
