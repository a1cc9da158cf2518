using Bridge.TwilioStandIn.Media;

namespace Bridge.TwilioStandIn.Calls;

/// <summary>How one simulated call went, from Twilio's and the caller's point of view.</summary>
public sealed record CallSummary
{
    public required string CallSid { get; init; }

    public string? StreamSid { get; init; }

    /// <summary>How the call ended, in words (e.g. "the caller hung up", "TwiML &lt;Hangup&gt;").</summary>
    public required string Outcome { get; init; }

    /// <summary>What Twilio did, in order: requests made, TwiML verbs executed.</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>The error that ended the call, as Twilio's debugger would name it.</summary>
    public TwilioWarning? Error { get; init; }

    /// <summary>Warnings outside the stream (e.g. 31922 for a ws:// stream URL).</summary>
    public IReadOnlyList<TwilioWarning> Warnings { get; init; } = [];

    /// <summary>The media stream, when one was opened.</summary>
    public MediaStreamResult? Stream { get; init; }

    public bool Succeeded => Error is null && Stream is { End: not StreamEnd.ConnectionLost };
}
