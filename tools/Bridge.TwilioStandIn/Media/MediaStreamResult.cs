using System.Net.WebSockets;

namespace Bridge.TwilioStandIn.Media;

public enum StreamEnd
{
    /// <summary>The caller hung up: Twilio sent <c>stop</c> and closed the socket.</summary>
    CallerHungUp,

    /// <summary>The caller reached the maximum call duration and hung up.</summary>
    MaxDuration,

    /// <summary>The server closed the socket; the call is still up (Twilio then requests the Connect action).</summary>
    ServerClosed,

    /// <summary>The connection broke without a close handshake.</summary>
    ConnectionLost,
}

public sealed record TwilioWarning(int Code, string Problem);

/// <summary>What happened on one media stream, as the caller experienced it.</summary>
public sealed record MediaStreamResult
{
    public required StreamEnd End { get; init; }

    public WebSocketCloseStatus? CloseStatus { get; init; }

    public string? CloseDescription { get; init; }

    /// <summary>Stream time when the stream ended.</summary>
    public TimeSpan Duration { get; init; }

    public long FramesSent { get; init; }

    public int DtmfSent { get; init; }

    public long MediaMessagesReceived { get; init; }

    public long AudioBytesReceived { get; init; }

    /// <summary>Stream time from <c>start</c> until the caller first heard the server's audio.</summary>
    public TimeSpan? TimeToFirstAudio { get; init; }

    /// <summary>
    /// Time from the end of the caller's speech (the end of the input's last 10 ms that Bridge.Audio's voice detector
    /// calls speech) to the first audio heard from then on; close to zero when the reply was already playing (an
    /// interruption).
    /// </summary>
    public TimeSpan? ReplyLatency { get; init; }

    public TimeSpan HeardAudio { get; init; }

    /// <summary>Audio the server sent that a <c>clear</c> dropped before it played.</summary>
    public TimeSpan DroppedAudio { get; init; }

    /// <summary>Audio still buffered when the stream ended.</summary>
    public TimeSpan UnplayedAudio { get; init; }

    public int Clears { get; init; }

    public int MarksReceived { get; init; }

    public int MarksEchoed { get; init; }

    /// <summary>Every message Twilio would have rejected; Twilio's debugger shows each code once per stream.</summary>
    public IReadOnlyList<TwilioWarning> Warnings { get; init; } = [];

    /// <summary>Fields Twilio does not document (which Twilio may also reject with 31951).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>What the caller heard, 8 kHz µ-law, one byte per 125 µs of stream time (empty when not recorded).</summary>
    public byte[] HeardMuLaw { get; init; } = [];
}
