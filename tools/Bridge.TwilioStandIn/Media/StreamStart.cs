namespace Bridge.TwilioStandIn.Media;

/// <summary>What the <c>start</c> message tells the server about the stream.</summary>
public sealed record StreamStart(
    string AccountSid,
    string CallSid,
    string StreamSid,
    IReadOnlyList<KeyValuePair<string, string>> CustomParameters);
