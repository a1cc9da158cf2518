namespace Bridge.TwilioStandIn.Twilio;

/// <summary>The Twilio error and warning codes the simulator reports, with Twilio's own meaning.</summary>
public static class TwilioErrorCodes
{
    /// <summary>The webhook could not be fetched or answered with an error status.</summary>
    public const int HttpRetrievalFailure = 11200;

    /// <summary>The answer was not a TwiML document.</summary>
    public const int DocumentParseFailure = 12100;

    public const int StreamConnectTimeout = 31901;
    public const int StreamConnectRefused = 31902;

    /// <summary>The server dropped the connection without a close handshake.</summary>
    public const int StreamBrokenPipe = 31903;

    /// <summary>The WebSocket handshake did not answer 101 Switching Protocols.</summary>
    public const int StreamHandshakeFailed = 31920;

    /// <summary>The server closed the WebSocket. Twilio logs it as an error even when the close is on purpose.</summary>
    public const int StreamClosedByServer = 31921;

    /// <summary>"URL Schema Not Supported": the stream URL is not wss://, which is all real Twilio dials.</summary>
    public const int StreamUrlNotSecure = 31922;

    /// <summary>The stream URL is malformed.</summary>
    public const int StreamUrlMalformed = 31923;

    /// <summary>Warning, once per stream: a frame Twilio cannot decode (a binary frame).</summary>
    public const int MalformedMessage = 31950;

    /// <summary>Warning, once per stream: bad JSON, an unknown event, a missing field or a wrong streamSid.</summary>
    public const int InvalidMessage = 31951;
}
