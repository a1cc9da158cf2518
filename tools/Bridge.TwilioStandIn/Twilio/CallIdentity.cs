namespace Bridge.TwilioStandIn.Twilio;

/// <summary>Who is calling whom, on which account: what every request Twilio makes about the call carries.</summary>
public sealed record CallIdentity(string AccountSid, string CallSid, string From, string To)
{
    public const string ApiVersion = "2010-04-01";

    /// <summary>
    /// Twilio's standard voice request parameters for a call in <paramref name="callStatus"/> (an inbound call's first
    /// webhook: ringing; in-progress once answered). Geographic fields are sent even when empty. An outbound call
    /// (<c>outbound-api</c>) answered with synchronous answering machine detection also carries <c>AnsweredBy</c>.
    /// </summary>
    public List<KeyValuePair<string, string>> VoiceParameters(string callStatus, string direction = "inbound", string? answeredBy = null)
    {
        var parameters = BaseParameters(callStatus, direction);
        if (answeredBy is not null)
        {
            parameters.Add(new("AnsweredBy", answeredBy));
        }
        return parameters;
    }

    private List<KeyValuePair<string, string>> BaseParameters(string callStatus, string direction) =>
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
        new("Direction", direction),
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
