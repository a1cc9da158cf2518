namespace Bridge.TwilioMedia;

/// <summary>What one caller frame revealed about the path from Twilio (see <see cref="InboundTimingMonitor"/>).</summary>
/// <param name="FramesLost">Frames declared lost now: missing slots that fell out of the reordering window.</param>
/// <param name="GapMilliseconds">How far this frame's timestamp jumped beyond the previous frame's end; 0 without a gap.</param>
/// <param name="Late">It arrived more than the late threshold after its expected arrival.</param>
/// <param name="Reordered">It arrived after a frame with a later timestamp.</param>
/// <param name="Duplicate">Its timestamp had already arrived.</param>
/// <param name="JitterSampled">A second of caller audio has passed: time to sample <see cref="InboundTimingMonitor.Jitter"/>.</param>
public readonly record struct InboundFrameTiming(
    int FramesLost,
    int GapMilliseconds,
    bool Late,
    bool Reordered,
    bool Duplicate,
    bool JitterSampled);
