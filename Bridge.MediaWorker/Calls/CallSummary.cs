namespace Bridge.MediaWorker.Calls;

/// <summary>What a call amounted to, logged when it ends.</summary>
public sealed class CallSummary
{
    public TimeSpan Duration { get; set; }
    public string EndReason { get; set; } = "";
    public int CallerTurns { get; set; }
    public int AssistantTurns { get; set; }
    public int Interruptions { get; set; }
    public int Renewals { get; set; }
    public long FramesIn { get; set; }
    public long FramesOut { get; set; }
    public double SecondsHeard { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
}
