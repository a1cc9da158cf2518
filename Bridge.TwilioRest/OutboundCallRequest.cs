namespace Bridge.TwilioRest;

/// <summary>
/// An outbound call as Twilio's <c>POST /Calls.json</c> takes it: whom to dial from which of our numbers, the URL whose
/// TwiML runs once the call is answered, where the call's status goes, and asynchronous answering machine detection
/// (<c>MachineDetection=DetectMessageEnd</c>, <c>AsyncAmd=true</c>) reporting to <see cref="AmdCallback"/>.
/// </summary>
public sealed record OutboundCallRequest(
    string To,
    string From,
    Uri AnswerUrl,
    Uri StatusCallback,
    Uri AmdCallback,
    TimeSpan RingTimeout,
    TimeSpan TimeLimit);
