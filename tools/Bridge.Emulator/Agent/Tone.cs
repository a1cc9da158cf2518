namespace Bridge.Emulator.Agent;

/// <summary>What the emulator "says" when it has nothing to echo (a greeting, a tool result): a soft two-tone chime.</summary>
public static class Tone
{
    public static short[] Create(int sampleRate, TimeSpan duration)
    {
        var samples = new short[(int)(sampleRate * duration.TotalSeconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / sampleRate;
            var frequency = (int)(t * 4) % 2 == 0 ? 440.0 : 660.0;
            samples[i] = (short)(6000 * Math.Sin(2 * Math.PI * frequency * t));
        }

        return samples;
    }
}
