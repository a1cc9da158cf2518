namespace Bridge.TwilioStandIn.Media;

/// <summary>What the caller heard, kept whole: 8 kHz µ-law, one byte per 125 µs of stream time.</summary>
internal sealed class HeardAudioRecording : IHeardAudioSink
{
    private readonly MemoryStream _heard = new();

    public void Played(long tick, ReadOnlySpan<byte> frame, int playedBytes) => _heard.Write(frame);

    public byte[] ToArray() => _heard.ToArray();

    /// <summary>The first tick from <paramref name="tick"/> on that played anything but silence.</summary>
    public long? FirstAudioTickFrom(long tick)
    {
        if (_heard.Length == 0)
        {
            return null;
        }
        var heard = _heard.GetBuffer().AsSpan(0, (int)_heard.Length);
        var from = (int)Math.Min(tick * PlaybackClock.FrameBytes, heard.Length);
        var index = heard[from..].IndexOfAnyExcept(PlaybackClock.Silence);
        return index < 0 ? null : tick + index / PlaybackClock.FrameBytes;
    }
}
