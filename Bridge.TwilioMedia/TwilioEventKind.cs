namespace Bridge.TwilioMedia;

/// <summary>The events Twilio sends on a bidirectional media stream.</summary>
public enum TwilioEventKind
{
    Connected,
    Start,
    Media,
    Dtmf,
    Mark,
    Stop,
}
