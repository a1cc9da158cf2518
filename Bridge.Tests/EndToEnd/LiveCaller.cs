using Bridge.TwilioStandIn.Media;

namespace Bridge.Tests.EndToEnd;

/// <summary>A caller who is silent until the test makes them speak (a tone, loud enough to be speech).</summary>
internal sealed class LiveCaller(TimeSpan length) : CallerAudio
{
    private const byte SilenceByte = 0xFF;
    private static readonly byte[] ToneFrames = Bridge.Tests.MediaWorker.Calls.Tone.Speech(TimeSpan.FromSeconds(1));
    private long _lastFrame = -1;
    private long _speechFrom = long.MaxValue;
    private long _speechUntil = long.MaxValue;

    public override TimeSpan Duration => length;

    // The caller never stops on their own: the test hangs up.
    public override TimeSpan SpeechEnd => length;

    public void Speaks(TimeSpan duration)
    {
        var from = Interlocked.Read(ref _lastFrame) + 1;
        Interlocked.Exchange(ref _speechUntil, from + (long)(duration.TotalMilliseconds / 20));
        Interlocked.Exchange(ref _speechFrom, from);
    }

    public override void ReadFrame(long index, Span<byte> frame)
    {
        Interlocked.Exchange(ref _lastFrame, index);
        if (index >= Interlocked.Read(ref _speechFrom) && index < Interlocked.Read(ref _speechUntil))
        {
            var offset = (int)(index * FrameBytes % ToneFrames.Length);
            ToneFrames.AsSpan(offset, FrameBytes).CopyTo(frame);
            return;
        }
        frame.Fill(SilenceByte);
    }
}
