namespace Bridge.TwilioStandIn.Twilio;

/// <summary>A failure Twilio would report with <see cref="Code"/> in its debugger, ending what it was doing.</summary>
public sealed class TwilioCallException(int code, string message) : Exception($"Twilio error {code}: {message}")
{
    public int Code { get; } = code;

    public string Detail { get; } = message;
}
