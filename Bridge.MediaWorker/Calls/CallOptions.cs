using System.ComponentModel.DataAnnotations;

namespace Bridge.MediaWorker.Calls;

/// <summary>How many calls a worker takes and how it lets them end. Section <c>Calls</c>.</summary>
public sealed class CallOptions
{
    public const string SectionName = "Calls";

    /// <summary>Beyond this the WebSocket upgrade is refused with 503, and Twilio plays the fallback.</summary>
    [Range(1, 10_000, ErrorMessage = "Calls:MaxConcurrent must be between 1 and 10000.")]
    public int MaxConcurrent { get; set; } = 200;

    /// <summary>
    /// On shutdown, how long live calls may go on before each is ended politely. ECS gives a task at most 120 s
    /// (stopTimeout) between SIGTERM and SIGKILL.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Calls:DrainTimeout must be between 0 and 1 hour.")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(110);

    /// <summary>
    /// How far the audio sent to Twilio may run ahead of what the caller has heard. Small keeps barge-in instant
    /// (Twilio's buffer holds little to flush); large rides out network jitter.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.060", "00:00:05", ErrorMessage = "Calls:PlaybackLead must be between 60 ms and 5 s.")]
    public TimeSpan PlaybackLead { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The most model audio a call keeps waiting for playback; beyond it no more is queued until playback makes room,
    /// while the model's events are still read, so that an interruption is seen at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Calls:MaxQueuedAudio must be between 1 second and 5 minutes.")]
    public TimeSpan MaxQueuedAudio { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where <c>transfer_call</c> sends the caller: an E.164 number or a sip: URI. Empty: transfers are declined.</summary>
    [RegularExpression(@"^(\+[1-9]\d{6,14}|sips?:\S+)$", ErrorMessage = "Calls:TransferTarget must be an E.164 number (+15551234567) or a sip: URI.")]
    public string? TransferTarget { get; set; }

    /// <summary>Said (as an instruction to the model) when a drain deadline ends a live call.</summary>
    public string GoodbyeOnShutdown { get; set; } =
        "The line must close now for maintenance. Apologise briefly, say goodbye, and use the hang_up tool.";

    /// <summary>
    /// The longest a call may last: it bounds what one call can cost. Shortly before it the model is asked to say
    /// goodbye (<see cref="GoodbyeAtMaxDuration"/>); at it the call is hung up through Twilio's REST API.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "04:00:00", ErrorMessage = "Calls:MaxDuration must be between 5 seconds and 4 hours.")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Said (as an instruction to the model) shortly before <see cref="MaxDuration"/>.</summary>
    public string GoodbyeAtMaxDuration { get; set; } =
        "The call has reached its time limit and will end in a few seconds. Tell the caller briefly, say goodbye, and use the hang_up tool.";

    /// <summary>
    /// A call from which no caller audio arrives this long is closed (Twilio sends a frame every 20 ms, in silence
    /// too): a held socket must not keep a model stream open.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Calls:InactivityTimeout must be between 1 second and 10 minutes.")]
    public TimeSpan InactivityTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far the caller's audio may run ahead of real time (the time since <c>start</c>) before the call is closed:
    /// Twilio's frames are made by the call's clock, so a burst after a stall catches up to real time but never runs
    /// ahead of it; audio faster than that is not a phone call, and would be billed model input.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:01:00", ErrorMessage = "Calls:MaxCallerAudioAhead must be between 200 ms and 1 minute.")]
    public TimeSpan MaxCallerAudioAhead { get; set; } = TimeSpan.FromSeconds(2);
}
