using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Bridge.TwilioStandIn.Media;

/// <summary>What Twilio's side of a media stream logs.</summary>
internal static partial class MediaStreamLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: the caller hangs up ({End}) at {Seconds:0.00} s of stream time")]
    public static partial void CallerHangsUp(ILogger logger, string callSid, StreamEnd end, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: the server closed the stream ({Status} {Description})")]
    public static partial void ServerClosed(ILogger logger, string callSid, WebSocketCloseStatus? status, string? description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the stream's connection broke: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string callSid, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid}: sending failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, string callSid, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid}: mark {Name} received; {When}")]
    public static partial void Mark(ILogger logger, string callSid, string name, string when);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid}: mark {Name} echoed")]
    public static partial void MarkEchoed(ILogger logger, string callSid, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: clear; {Marks} pending mark(s) echoed at once")]
    public static partial void Clear(ILogger logger, string callSid, int marks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: Twilio warning {Code}: {Problem} (Twilio ignores the message; its debugger shows this code once per stream)")]
    public static partial void TwilioWarning(ILogger logger, string callSid, int code, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: again {Code}: {Problem}")]
    public static partial void RepeatedWarning(ILogger logger, string callSid, int code, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: {Note} (Twilio may reject this with 31951)")]
    public static partial void UndocumentedField(ILogger logger, string callSid, string note);
}
