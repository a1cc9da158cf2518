using System.Net.WebSockets;

namespace Bridge.TwilioMedia;

/// <summary>Why a frame from Twilio could not be accepted. Any of them ends that one call, never another.</summary>
public enum TwilioProtocolError
{
    None,
    InvalidJson,
    NotAnObject,
    UnknownEvent,
    MissingField,
    WrongStreamSid,
    BadBase64,
    PayloadTooLarge,
    BadNumber,
    MalformedSid,
    TooManyParameters,
}

public static class TwilioProtocolErrorExtensions
{
    /// <summary>The WebSocket close status a call ends with when Twilio sent this.</summary>
    public static WebSocketCloseStatus CloseStatus(this TwilioProtocolError error) => error switch
    {
        TwilioProtocolError.WrongStreamSid or TwilioProtocolError.MalformedSid or TwilioProtocolError.TooManyParameters
            => WebSocketCloseStatus.PolicyViolation,
        TwilioProtocolError.PayloadTooLarge => WebSocketCloseStatus.MessageTooBig,
        TwilioProtocolError.UnknownEvent or TwilioProtocolError.MissingField => WebSocketCloseStatus.ProtocolError,
        _ => WebSocketCloseStatus.InvalidPayloadData,
    };

    public static string Describe(this TwilioProtocolError error) => error switch
    {
        TwilioProtocolError.InvalidJson => "the frame is not valid JSON",
        TwilioProtocolError.NotAnObject => "the frame is not a JSON object",
        TwilioProtocolError.UnknownEvent => "the frame's event is missing or unknown",
        TwilioProtocolError.MissingField => "the frame lacks a field its event requires",
        TwilioProtocolError.WrongStreamSid => "the frame belongs to another stream",
        TwilioProtocolError.BadBase64 => "the media payload is not valid base64",
        TwilioProtocolError.PayloadTooLarge => "the media payload is larger than any Twilio frame",
        TwilioProtocolError.BadNumber => "a numeric field is not a number",
        TwilioProtocolError.MalformedSid => "start carries an account, call or stream SID that is not in Twilio's form (two letters and 32 hex digits)",
        TwilioProtocolError.TooManyParameters => $"start carries more than {TwilioStartReader.MaxCustomParameters} custom parameters",
        _ => "no error",
    };
}
