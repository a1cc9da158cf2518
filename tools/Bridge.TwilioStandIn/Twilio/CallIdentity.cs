namespace Bridge.TwilioStandIn.Twilio;

/// <summary>Who is calling whom, on which account: what every request Twilio makes about the call carries.</summary>
public sealed record CallIdentity(string AccountSid, string CallSid, string From, string To)
{
    public const string ApiVersion = "2010-04-01";

    /// <summary>
    /// Twilio's standard voice request parameters for an inbound call in <paramref name="callStatus"/>
    /// (ringing for the first webhook, in-progress once answered). Geographic fields are sent even when empty.
    /// </summary>
    public List<KeyValuePair<string, string>> VoiceParameters(string callStatus) =>
    [
        new("AccountSid", AccountSid),
        new("ApiVersion", ApiVersion),
        new("CallSid", CallSid),
        new("CallStatus", callStatus),
        new("Called", To),
        new("CalledCity", ""),
        new("CalledCountry", "US"),
        new("CalledState", ""),
        new("CalledZip", ""),
        new("Caller", From),
        new("CallerCity", ""),
        new("CallerCountry", "US"),
        new("CallerState", ""),
        new("CallerZip", ""),
        new("Direction", "inbound"),
        new("From", From),
        new("FromCity", ""),
        new("FromCountry", "US"),
        new("FromState", ""),
        new("FromZip", ""),
        new("To", To),
        new("ToCity", ""),
        new("ToCountry", "US"),
        new("ToState", ""),
        new("ToZip", ""),
    ];
}
