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
}
