namespace Bridge.Tests.Api;

/// <summary>The form fields Twilio posts to the voice webhook of an incoming call.</summary>
public static class WebhookForms
{
    public const string CallSid = "CAfeedfacefeedfacefeedfacefeedface";

    public static Dictionary<string, string> IncomingCall() => new()
    {
        ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["ApiVersion"] = "2010-04-01",
        ["CallSid"] = CallSid,
        ["CallStatus"] = "ringing",
        ["Called"] = "+15005550006",
        ["Caller"] = "+14155552671",
        ["Direction"] = "inbound",
        ["From"] = "+14155552671",
        ["To"] = "+15005550006",
    };

    public static Dictionary<string, string> ConnectEnded(string callStatus) => new()
    {
        ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["CallSid"] = CallSid,
        ["CallStatus"] = callStatus,
        ["From"] = "+14155552671",
        ["To"] = "+15005550006",
    };
}
