using System.ComponentModel.DataAnnotations;

namespace Bridge.TwilioMedia;

/// <summary>Limits on what Twilio may send. Section <c>Twilio:MediaStream</c>.</summary>
public sealed class TwilioStreamOptions
{
    public const string SectionName = "Twilio:MediaStream";

    /// <summary>The largest text frame accepted: Twilio's media frames are ~300 bytes; <c>start</c> with parameters a few KB.</summary>
    [Range(1024, 1024 * 1024, ErrorMessage = "Twilio:MediaStream:MaxMessageBytes must be between 1024 and 1048576.")]
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// How long after the upgrade Twilio has to send <c>connected</c> and <c>start</c>. Twilio sends both at once (the
    /// call simulator's arrive within a few milliseconds); until then the socket waits in the small pre-start pool.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Twilio:MediaStream:StartTimeout must be between 100 ms and 1 minute.")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// WebSocket control frames (ping, pong, close) a socket may send per second, sustained. Each is answered inside the
    /// WebSocket, unseen by the call, so a flood of them is counted on the connection itself and cut off.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Twilio:MediaStream:ControlFramesPerSecond must be between 1 and 1000.")]
    public int ControlFramesPerSecond { get; set; } = 5;

    /// <summary>Control frames a socket may send at once, after a quiet spell. Beyond the bucket the connection is aborted.</summary>
    [Range(1, 10_000, ErrorMessage = "Twilio:MediaStream:ControlFrameBurst must be between 1 and 10000.")]
    public int ControlFrameBurst { get; set; } = 20;

    /// <summary>
    /// WebSocket message fragments (data frames that are not a whole message) a socket may send per second, sustained.
    /// Twilio sends each message as one frame; an empty or one-byte fragment costs the WebSocket a frame's work, and the
    /// call sees nothing until the message is whole, so a flood of them is counted on the connection and cut off.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Twilio:MediaStream:FragmentsPerSecond must be between 1 and 100000.")]
    public int FragmentsPerSecond { get; set; } = 100;

    /// <summary>Message fragments a socket may send at once. Beyond the bucket the connection is aborted.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Twilio:MediaStream:FragmentBurst must be between 1 and 1000000.")]
    public int FragmentBurst { get; set; } = 1000;

    /// <summary>
    /// A caller frame arriving this much later than expected (its timestamp plus the fastest recent transit) counts
    /// as late in the audio-path metrics. 60 ms: three frames, about what a small jitter buffer would absorb.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:00:05", ErrorMessage = "Twilio:MediaStream:LateFrameThreshold must be between 20 ms and 5 s.")]
    public TimeSpan LateFrameThreshold { get; set; } = TimeSpan.FromMilliseconds(60);
}
