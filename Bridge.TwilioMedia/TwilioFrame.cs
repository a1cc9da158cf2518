namespace Bridge.TwilioMedia;

/// <summary>
/// One frame from Twilio, read without allocating. A media frame's audio has been decoded into the caller's
/// buffer (<see cref="PayloadLength"/> bytes of µ-law); a mark's name has been read as one of ours when it is.
/// </summary>
public struct TwilioFrame
{
    public TwilioEventKind Event;
    public long SequenceNumber;
    public long MediaChunk;
    public long MediaTimestamp;
    public int PayloadLength;
    public bool IsInboundTrack;
    public PlaybackMark? Mark;
    public char Digit;
    public TwilioStartInfo? Start;
}
