using System.Net.WebSockets;
using Bridge.TwilioStandIn.Media;

namespace Bridge.Tests.Reliability;

/// <summary>How a call survived a fault, as the caller (Twilio's side of the stream) saw it.</summary>
public enum CallOutcome
{
    /// <summary>The call went on to the caller's hang-up.</summary>
    Recovered,

    /// <summary>
    /// The worker closed the stream with 1011 "the assistant is unavailable": Twilio then asks the api's
    /// connect-ended, which apologises (and transfers or hangs up) — never silence on an open line.
    /// </summary>
    EndedPolitely,

    /// <summary>Anything else: the connection broke, another close status, a stall.</summary>
    Broken,
}

public static class CallOutcomes
{
    public const string Apology = "the assistant is unavailable";

    public static CallOutcome Of(MediaStreamResult result) => result switch
    {
        { End: StreamEnd.CallerHungUp or StreamEnd.MaxDuration } => CallOutcome.Recovered,
        { End: StreamEnd.ServerClosed, CloseStatus: WebSocketCloseStatus.InternalServerError, CloseDescription: Apology } => CallOutcome.EndedPolitely,
        _ => CallOutcome.Broken,
    };

    public static string Describe(MediaStreamResult result) =>
        $"{result.End} {result.CloseStatus} \"{result.CloseDescription}\" after {result.Duration.TotalSeconds:0.0} s";
}
