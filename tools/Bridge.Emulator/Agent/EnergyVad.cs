namespace Bridge.Emulator.Agent;

/// <summary>Energy-based voice activity: a block of PCM16 whose RMS is above the threshold is speech.</summary>
public sealed class EnergyVad(int threshold)
{
    private readonly long _thresholdSquared = (long)threshold * threshold;

    public bool IsSpeech(ReadOnlySpan<short> block)
    {
        long sumOfSquares = 0;
        foreach (var sample in block)
        {
            sumOfSquares += sample * sample;
        }

        return block.Length > 0 && sumOfSquares > _thresholdSquared * block.Length;
    }
}
