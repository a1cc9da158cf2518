namespace Bridge.Audio;

/// <summary>The caller's side of the bridge: Twilio media is 8 kHz µ-law in 20 ms frames.</summary>
public static class TelephoneFrame
{
    public const int SampleRate = 8000;

    /// <summary>Samples in one 20 ms frame, which is also its length in µ-law bytes.</summary>
    public const int Samples = 160;

    public static readonly TimeSpan Duration = TimeSpan.FromMilliseconds(20);
}
