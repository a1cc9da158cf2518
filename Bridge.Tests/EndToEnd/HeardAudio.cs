namespace Bridge.Tests.EndToEnd;

/// <summary>Reads what the simulated caller heard (8 kHz µ-law, silence where nothing played).</summary>
public static class HeardAudio
{
    private const int SamplesPerMillisecond = 8;

    /// <summary>The stretches of sound (not µ-law silence), as (start, length), merging gaps shorter than 100 ms.</summary>
    public static IReadOnlyList<(TimeSpan Start, TimeSpan Length)> SoundRuns(byte[] mulaw)
    {
        var runs = new List<(TimeSpan, TimeSpan)>();
        int? start = null;
        var lastSound = -1;
        const int mergeGap = 100 * SamplesPerMillisecond;
        for (var i = 0; i < mulaw.Length; i++)
        {
            if (!IsSilence(mulaw[i]))
            {
                if (start is null || i - lastSound > mergeGap)
                {
                    if (start is { } s)
                    {
                        runs.Add((Ms(s), Ms(lastSound + 1 - s)));
                    }
                    start = i;
                }
                lastSound = i;
            }
        }
        if (start is { } last)
        {
            runs.Add((Ms(last), Ms(lastSound + 1 - last)));
        }
        return runs;
    }

    /// <summary>µ-law codes within a step or two of zero (0xFF/0x7F and neighbours) are silence.</summary>
    private static bool IsSilence(byte code) => (code & 0x7F) >= 0x7D;

    private static TimeSpan Ms(int samples) => TimeSpan.FromMilliseconds(samples / (double)SamplesPerMillisecond);
}
