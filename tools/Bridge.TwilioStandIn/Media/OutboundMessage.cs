namespace Bridge.TwilioStandIn.Media;

internal enum OutboundKind
{
    Connected,
    Start,
    Media,
    Dtmf,
    Mark,
    Stop,
}

/// <summary>A message Twilio's side of the stream queues for sending; <c>media</c> reads its audio when sent.</summary>
internal readonly record struct Outbound(OutboundKind Kind, long Chunk = 0, long TimestampMs = 0, char Digit = '\0', string? Name = null)
{
    public static Outbound Connected => new(OutboundKind.Connected);

    public static Outbound Start => new(OutboundKind.Start);

    public static Outbound Stop => new(OutboundKind.Stop);

    public static Outbound Media(long chunk, long timestampMs) => new(OutboundKind.Media, chunk, timestampMs);

    public static Outbound Dtmf(char digit) => new(OutboundKind.Dtmf, Digit: digit);

    public static Outbound Mark(string name) => new(OutboundKind.Mark, Name: name);
}
