namespace Bridge.MediaWorker.Calls;

/// <summary>What a call amounted to, logged when it ends.</summary>
public sealed class CallSummary
{
    public TimeSpan Duration { get; set; }
    public string EndReason { get; set; } = "";
    public int CallerTurns { get; set; }
    public int AssistantTurns { get; set; }
    public int Interruptions { get; set; }

    /// <summary>Of <see cref="Interruptions"/>, those the bridge made itself: the caller spoke over audio from an older model stream.</summary>
    public int LocalInterruptions { get; set; }
    public int Renewals { get; set; }
    public long FramesIn { get; set; }
    public long FramesOut { get; set; }
    public double SecondsHeard { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }

    /// <summary>Caller audio missing from Twilio's timestamps, in gaps (see <see cref="Twilio.InboundTimingMonitor"/>).</summary>
    public int InboundGaps { get; set; }

    public long InboundGapMilliseconds { get; set; }

    public long InboundFramesLost { get; set; }

    public long InboundFramesLate { get; set; }

    /// <summary>Caller frames that arrived out of order or twice.</summary>
    public long InboundFramesOutOfOrder { get; set; }

    public double InboundMeanJitterMilliseconds { get; set; }

    public double InboundMaxJitterMilliseconds { get; set; }

    /// <summary>The most model audio waiting in the bridge's queue at once.</summary>
    public double MaxQueuedMilliseconds { get; set; }

    public int Underruns { get; set; }

    public TimeSpan UnderrunTime { get; set; }
}
