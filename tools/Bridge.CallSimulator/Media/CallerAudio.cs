namespace Bridge.CallSimulator.Media;

/// <summary>What the caller says: 8 kHz µ-law, read one 20 ms frame at a time when the frame is sent.</summary>
public abstract class CallerAudio
{
    public const int FrameBytes = 160;

    /// <summary>How long the caller speaks; afterwards the line carries silence, like a real phone line.</summary>
    public abstract TimeSpan Duration { get; }

    /// <summary>Fills <paramref name="frame"/> (160 bytes) with frame <paramref name="index"/> (0-based), silence past the end.</summary>
    public abstract void ReadFrame(long index, Span<byte> frame);

    public static CallerAudio FromMuLaw(byte[] mulaw) => new RecordedCallerAudio(mulaw);

    public static CallerAudio Silence { get; } = new RecordedCallerAudio([]);

    private sealed class RecordedCallerAudio(byte[] mulaw) : CallerAudio
    {
        public override TimeSpan Duration { get; } = TimeSpan.FromSeconds(mulaw.Length / 8000.0);

        public override void ReadFrame(long index, Span<byte> frame)
        {
            var start = index * FrameBytes;
            var available = start >= mulaw.Length ? 0 : (int)Math.Min(FrameBytes, mulaw.Length - start);
            mulaw.AsSpan((int)Math.Min(start, mulaw.Length), available).CopyTo(frame);
            frame[available..].Fill(PlaybackClock.Silence);
        }
    }
}
