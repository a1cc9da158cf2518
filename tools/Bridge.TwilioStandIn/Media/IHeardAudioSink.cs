namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// The caller's ear: each 20 ms frame as Twilio plays it (a recorder for the simulator, the browser's speakers for
/// the softphone). Called on the playback clock, under the session's lock: keep it short and never block.
/// </summary>
public interface IHeardAudioSink
{
    /// <summary>
    /// Frame <paramref name="tick"/> (it plays during [(tick + 1) · 20 ms, (tick + 2) · 20 ms) of stream time): 160
    /// µ-law bytes, of which the first <paramref name="playedBytes"/> came from the server, the rest silence.
    /// </summary>
    void Played(long tick, ReadOnlySpan<byte> frame, int playedBytes);
}
