using Bridge.TwilioStandIn.Media;

namespace Bridge.CallSimulator.Load;

/// <summary>
/// Caller audio for load tests in which every frame says which frame it is, so that audio coming back through a
/// loopback (which re-chunks it) can be matched to what was sent whatever the frame boundaries. Each 160-byte
/// frame starts with a sync pair and the frame number in four base-64 digits; the rest is filler. The byte values
/// of the three parts never overlap, so the sync pair cannot appear anywhere else; and none is µ-law 0x7F (−0),
/// the one code that does not survive decoding to PCM and encoding back.
/// </summary>
public sealed class TaggedCallerAudio(TimeSpan duration) : CallerAudio
{
    public const byte SyncFirst = 0x80;
    public const byte SyncSecond = 0x00;
    public const int DigitCount = 4;
    public const int HeaderBytes = 2 + DigitCount;
    private const byte DigitBase = 0x10; // digits are 0x10..0x4F
    private const byte FillerBase = 0x50; // filler is 0x50..0x6F

    public override TimeSpan Duration { get; } = duration;

    public override TimeSpan SpeechEnd => Duration;

    public override void ReadFrame(long index, Span<byte> frame)
    {
        frame[0] = SyncFirst;
        frame[1] = SyncSecond;
        for (var d = 0; d < DigitCount; d++)
        {
            frame[2 + d] = (byte)(DigitBase + ((index >> (6 * (DigitCount - 1 - d))) & 0x3F));
        }
        for (var i = HeaderBytes; i < frame.Length; i++)
        {
            frame[i] = (byte)(FillerBase + ((i + index) & 0x1F));
        }
    }

    public static bool IsDigit(byte value) => value is >= DigitBase and < DigitBase + 64;

    public static int DigitValue(byte value) => value - DigitBase;
}
