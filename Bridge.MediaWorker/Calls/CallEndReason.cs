namespace Bridge.MediaWorker.Calls;

/// <summary>Why a call ended: the summary's reason, the <c>bridge.calls.ended</c> tag, the call span's tag.</summary>
public enum CallEndReason
{
    /// <summary>Twilio sent <c>stop</c>: the caller hung up.</summary>
    CallerHungUp,

    /// <summary>Twilio closed the socket without <c>stop</c>.</summary>
    SocketClosed,

    /// <summary>The connection broke.</summary>
    SocketLost,

    /// <summary>Twilio sent something the bridge cannot accept; the stream was closed with its reason.</summary>
    MalformedFrame,

    /// <summary>The model ended the conversation.</summary>
    ModelEnded,

    /// <summary>The model failed and no new stream could carry the conversation; the caller hears the api's apology.</summary>
    ModelFailed,

    /// <summary>The bridge ended the call (its connection was aborted).</summary>
    EndedByBridge,

    /// <summary>A tool ended it (hang up, transfer) once its goodbye had played.</summary>
    Tool,

    /// <summary>The worker drained, and the call was still up at the deadline and its goodbye.</summary>
    DrainDeadline,

    /// <summary><c>Calls:MaxDuration</c> (or the agent's shorter limit).</summary>
    MaxDuration,

    /// <summary>No caller audio for <c>Calls:InactivityTimeout</c>.</summary>
    Inactivity,

    /// <summary>Caller audio ran ahead of real time by more than <c>Calls:MaxCallerAudioAhead</c>.</summary>
    AudioAhead,

    /// <summary>Key presses came faster than a phone sends them (<see cref="CallLimits.DtmfPerSecond"/>).</summary>
    DtmfFlood,

    /// <summary>Messages came faster than Twilio sends them (<see cref="CallLimits.MessagesPerSecond"/>).</summary>
    MessageFlood,
}

public static class CallEndReasons
{
    /// <summary>The reason as logs and metrics name it (<c>caller-hung-up</c>, <c>max-duration</c>, ...).</summary>
    public static string Tag(this CallEndReason reason) => reason switch
    {
        CallEndReason.CallerHungUp => "caller-hung-up",
        CallEndReason.SocketClosed => "socket-closed",
        CallEndReason.SocketLost => "socket-lost",
        CallEndReason.MalformedFrame => "malformed-frame",
        CallEndReason.ModelEnded => "model-ended",
        CallEndReason.ModelFailed => "model-failed",
        CallEndReason.EndedByBridge => "ended-by-bridge",
        CallEndReason.Tool => "tool",
        CallEndReason.DrainDeadline => "drain-deadline",
        CallEndReason.MaxDuration => "max-duration",
        CallEndReason.Inactivity => "inactivity",
        CallEndReason.AudioAhead => "audio-ahead",
        CallEndReason.DtmfFlood => "dtmf-flood",
        CallEndReason.MessageFlood => "message-flood",
        _ => reason.ToString(),
    };

    /// <summary>Whether the call failed (its span is then exported whatever the sampling): the model, bad input, a cost limit the caller's side broke.</summary>
    public static bool IsFailure(this CallEndReason reason) =>
        reason is CallEndReason.ModelFailed or CallEndReason.MalformedFrame or CallEndReason.AudioAhead or CallEndReason.DtmfFlood or CallEndReason.MessageFlood or CallEndReason.Inactivity;
}
