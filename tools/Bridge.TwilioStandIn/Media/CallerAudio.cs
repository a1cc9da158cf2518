using Bridge.Audio;

namespace Bridge.TwilioStandIn.Media;

/// <summary>What the caller says: 8 kHz µ-law, read one 20 ms frame at a time when the frame is sent.</summary>
public abstract class CallerAudio
{
    public const int FrameBytes = TelephoneFrame.Samples;

    /// <summary>How long the caller speaks; afterwards the line carries silence, like a real phone line.</summary>
    public abstract TimeSpan Duration { get; }

    /// <summary>The end of the last 10 ms that hold speech (not just line noise): where a reply may start.</summary>
    public abstract TimeSpan SpeechEnd { get; }

    /// <summary>Fills <paramref name="frame"/> (160 bytes) with frame <paramref name="index"/> (0-based), silence past the end.</summary>
    public abstract void ReadFrame(long index, Span<byte> frame);

    public static CallerAudio FromMuLaw(byte[] mulaw) => new RecordedCallerAudio(mulaw);

    public static CallerAudio Silence { get; } = new RecordedCallerAudio([]);

    private sealed class RecordedCallerAudio(byte[] mulaw) : CallerAudio
    {
        public override TimeSpan Duration { get; } = TimeSpan.FromSeconds(mulaw.Length / (double)TelephoneFrame.SampleRate);

        public override TimeSpan SpeechEnd { get; } = FindSpeechEnd(mulaw);

        public override void ReadFrame(long index, Span<byte> frame)
        {
            var start = index * FrameBytes;
            var available = start >= mulaw.Length ? 0 : (int)Math.Min(FrameBytes, mulaw.Length - start);
            mulaw.AsSpan((int)Math.Min(start, mulaw.Length), available).CopyTo(frame);
            frame[available..].Fill(PlaybackClock.Silence);
        }

        /// <summary>The end of the last 10 ms block that Bridge.Audio's voice detector (the bridge's) calls speech.</summary>
        private static TimeSpan FindSpeechEnd(byte[] mulaw)
        {
            var block = new short[TelephoneFrame.SampleRate / 100];
            for (var start = (mulaw.Length - 1) / block.Length * block.Length; start >= 0; start -= block.Length)
            {
                var length = Math.Min(block.Length, mulaw.Length - start);
                MuLaw.Decode(mulaw.AsSpan(start, length), block);
                if (VoiceActivityDetector.IsSpeech(block.AsSpan(0, length)))
                {
                    return TimeSpan.FromSeconds((start + length) / (double)TelephoneFrame.SampleRate);
                }
            }
            return TimeSpan.Zero;
        }
    }
}
