namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// A worse network between the caller and the bridge, for exercising the bridge's audio-path metrics: caller frames
/// dropped (never sent, so their timestamps leave a gap) and sent late by a random delay. Frames keep their order,
/// as on a WebSocket's TCP connection: a delayed frame holds back those after it, which then arrive in a burst.
/// </summary>
public sealed record LineImpairment
{
    public static readonly LineImpairment None = new();

    /// <summary>The share of caller frames never sent (0 to 0.5), spread evenly: 0.01 drops every hundredth.</summary>
    public double DropFrames { get; init; }

    /// <summary>Each caller frame is held back by a random delay from 0 to this (stream time).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Seeds the delays, so a run can be repeated.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Whether frame <paramref name="chunk"/> (from 1) is dropped: the n-th is when ⌊n·p⌋ moves on.</summary>
    public bool Drops(long chunk) => DropFrames > 0 && Math.Floor(chunk * DropFrames) > Math.Floor((chunk - 1) * DropFrames);

    /// <summary>A delay for the next frame.</summary>
    public TimeSpan NextDelay(Random random) => Jitter <= TimeSpan.Zero ? TimeSpan.Zero : Jitter * random.NextDouble();
}
