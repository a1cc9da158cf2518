namespace Bridge.TwilioMedia;

/// <summary>What Twilio says about the stream in its <c>start</c> event (read once per call).</summary>
public sealed record TwilioStartInfo(
    string StreamSid,
    string CallSid,
    string AccountSid,
    IReadOnlyList<string> Tracks,
    IReadOnlyDictionary<string, string> CustomParameters,
    string Encoding,
    int SampleRate,
    int Channels);
