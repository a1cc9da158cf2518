using Bridge.Audio;
using Bridge.TwilioStandIn.Media;

namespace Bridge.Softphone.Calls;

/// <summary>
/// The caller's ear on the page: each frame the stand-in's playback clock plays (Twilio's rules: marks when reached,
/// <c>clear</c> drops buffered audio) goes to the browser as 8 kHz PCM16 — the µ-law a phone would get, decoded —
/// and a <c>clear</c> is reported as an interruption. Also times each reply (<see cref="TurnTimer"/>).
/// </summary>
internal sealed class BrowserSpeaker(BrowserLink link, TurnTimer turns) : IHeardAudioSink, IMediaStreamObserver
{
    private readonly short[] _pcm = new short[TelephoneFrame.Samples];
    private int _connected;

    public void Played(long tick, ReadOnlySpan<byte> frame, int playedBytes)
    {
        MuLaw.Decode(frame, _pcm);
        var bytes = new byte[_pcm.Length * 2];
        for (var i = 0; i < _pcm.Length; i++)
        {
            bytes[2 * i] = (byte)_pcm[i];
            bytes[2 * i + 1] = (byte)(_pcm[i] >> 8);
        }
        link.SendAudio(bytes);
        if (turns.Heard(tick, playedBytes) is { } latency)
        {
            link.Send("turn", ("replyMs", (int)latency.TotalMilliseconds));
        }
    }

    public void CallerFrameSent(long chunk, long timestamp)
    {
        if (Interlocked.Exchange(ref _connected, 1) == 0)
        {
            link.Send("connected");
        }
    }

    public void ServerMessageHandled(ServerMessageKind kind, ReadOnlySpan<byte> payload, long timestamp)
    {
        if (kind == ServerMessageKind.Clear)
        {
            link.Send("clear");
        }
    }
}
