using System.Collections;
using System.Globalization;
using Bridge.NovaSonic;
using Bridge.TwilioMedia;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// What a call amounted to, counted by its parts as it runs and logged once when it ends: the <c>CallSummary</c>
/// event, its values structured (each under its own name, as the development call event feed and the log exporter
/// read them) and its message one line.
/// </summary>
public sealed class CallSummary
{
    public TimeSpan Duration { get; set; }
    public CallEndReason EndReason { get; set; }
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

    /// <summary>Caller audio missing from Twilio's timestamps, in gaps (see <see cref="InboundTimingMonitor"/>).</summary>
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

    /// <summary>Model audio dropped because it outran playback by more than the queue and its read-ahead hold.</summary>
    public double DroppedMilliseconds { get; set; }

    /// <summary>Every tool the model used, in the order they finished, with how long each took.</summary>
    public List<ToolRun> Tools { get; } = [];

    /// <summary>One tool call: its name, how long it took from the model's request to the result, and how it ended.</summary>
    public sealed record ToolRun(string Name, TimeSpan Latency, string Outcome);

    internal const string Template =
        "Call ended ({Reason}) after {Duration}: {CallerTurns} caller and {AssistantTurns} assistant turns, {Interruptions} interruptions ({LocalInterruptions} local), {Renewals} renewals, {InputTokens} input and {OutputTokens} output tokens, {FramesIn} frames in, {FramesOut} out, {SecondsHeard:0.0} s heard; " +
        "caller audio: {InboundGaps} gaps ({InboundGapMs} ms), {InboundFramesLost} frames lost, {InboundFramesLate} late, {InboundFramesOutOfOrder} out of order, jitter {InboundJitterMeanMs:0.0} ms mean, {InboundJitterMaxMs:0.0} ms max; " +
        "playback: {Underruns} underruns ({UnderrunMs:0} ms), queue at most {MaxQueuedMs:0} ms, {DroppedMs:0} ms dropped; tools: {Tools}";

    private static readonly EventId SummaryEvent = new(1, "CallSummary");

    private long _tokenBase;
    private long _lastTotalTokens;

    /// <summary>The model's token counts so far. Each stream counts from zero: the call's output is the sum over its streams.</summary>
    public void Counted(NovaUsage usage)
    {
        if (usage.TotalTokens < _lastTotalTokens)
        {
            _tokenBase += _lastTotalTokens;
        }
        _lastTotalTokens = usage.TotalTokens;
        InputTokens = usage.InputTokens;
        OutputTokens = _tokenBase + usage.TotalTokens - usage.InputTokens;
    }

    /// <summary>What the caller's frames showed of the path from Twilio, once the stream has ended.</summary>
    public void Counted(InboundTimingMonitor inbound)
    {
        InboundGaps = inbound.Gaps;
        InboundGapMilliseconds = inbound.GapMilliseconds;
        InboundFramesLost = inbound.FramesLost;
        InboundFramesLate = inbound.FramesLate;
        InboundFramesOutOfOrder = inbound.FramesReordered + inbound.FramesDuplicated;
        InboundMeanJitterMilliseconds = inbound.MeanJitterMilliseconds;
        InboundMaxJitterMilliseconds = inbound.MaxJitterMilliseconds;
    }

    /// <summary>Logs the summary as the <c>CallSummary</c> event.</summary>
    public void Log(ILogger logger)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var state = new State(this);
            logger.Log(LogLevel.Information, SummaryEvent, state, null, static (s, _) => s.ToString());
        }
    }

    private string ToolsText => Tools.Count == 0
        ? "none"
        : string.Join(", ", Tools.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Latency.TotalMilliseconds:0} ms{(t.Outcome == "succeeded" ? "" : " (" + t.Outcome + ")")}")));

    /// <summary>The summary's values by name, and its message: what a source-generated log method would give, without one of 24 parameters.</summary>
    private sealed class State(CallSummary s) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values =
        [
            new("Reason", s.EndReason.Tag()),
            new("Duration", s.Duration),
            new("CallerTurns", s.CallerTurns),
            new("AssistantTurns", s.AssistantTurns),
            new("Interruptions", s.Interruptions),
            new("LocalInterruptions", s.LocalInterruptions),
            new("Renewals", s.Renewals),
            new("InputTokens", s.InputTokens),
            new("OutputTokens", s.OutputTokens),
            new("FramesIn", s.FramesIn),
            new("FramesOut", s.FramesOut),
            new("SecondsHeard", s.SecondsHeard),
            new("InboundGaps", s.InboundGaps),
            new("InboundGapMs", s.InboundGapMilliseconds),
            new("InboundFramesLost", s.InboundFramesLost),
            new("InboundFramesLate", s.InboundFramesLate),
            new("InboundFramesOutOfOrder", s.InboundFramesOutOfOrder),
            new("InboundJitterMeanMs", s.InboundMeanJitterMilliseconds),
            new("InboundJitterMaxMs", s.InboundMaxJitterMilliseconds),
            new("Underruns", s.Underruns),
            new("UnderrunMs", s.UnderrunTime.TotalMilliseconds),
            new("MaxQueuedMs", s.MaxQueuedMilliseconds),
            new("DroppedMs", s.DroppedMilliseconds),
            new("Tools", s.ToolsText),
            new("{OriginalFormat}", Template),
        ];

        public int Count => _values.Length;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"Call ended ({s.EndReason.Tag()}) after {s.Duration}: {s.CallerTurns} caller and {s.AssistantTurns} assistant turns, {s.Interruptions} interruptions ({s.LocalInterruptions} local), {s.Renewals} renewals, {s.InputTokens} input and {s.OutputTokens} output tokens, {s.FramesIn} frames in, {s.FramesOut} out, {s.SecondsHeard:0.0} s heard; " +
            $"caller audio: {s.InboundGaps} gaps ({s.InboundGapMilliseconds} ms), {s.InboundFramesLost} frames lost, {s.InboundFramesLate} late, {s.InboundFramesOutOfOrder} out of order, jitter {s.InboundMeanJitterMilliseconds:0.0} ms mean, {s.InboundMaxJitterMilliseconds:0.0} ms max; " +
            $"playback: {s.Underruns} underruns ({s.UnderrunTime.TotalMilliseconds:0} ms), queue at most {s.MaxQueuedMilliseconds:0} ms, {s.DroppedMilliseconds:0} ms dropped; tools: {s.ToolsText}");
    }
}
