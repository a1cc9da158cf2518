namespace Bridge.CallSimulator.Load;

/// <summary>A bounded load test against a local system: how many calls, how fast they arrive, for how long.</summary>
public sealed record LoadOptions
{
    public const int MaxCalls = 1000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    public required Uri WebhookUrl { get; init; }

    public required string AuthToken { get; init; }

    public string AccountSid { get; init; } = Bridge.TwilioStandIn.Calls.CallSimulationOptions.DefaultAccountSid;

    /// <summary>Where the bridge's public URLs lead on this machine (see <see cref="Bridge.TwilioStandIn.Twilio.PublicRoutes"/>).</summary>
    public Bridge.TwilioStandIn.Twilio.PublicRoutes Routes { get; init; } = Bridge.TwilioStandIn.Twilio.PublicRoutes.None;

    /// <summary>How many calls in all; they stay up together once the ramp is over.</summary>
    public int Calls { get; init; } = 10;

    /// <summary>The calls start evenly spread over this time.</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The whole test, ramp included: every call hangs up when it is over.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A frame whose round trip takes longer than this is late.</summary>
    public TimeSpan LateAfter { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Frames sent in the last stretch of a call are not counted lost if they do not come back.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Memory is expected to grow until this long after the ramp; the memory slope counts only what follows.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The share of measured frames that may be lost before the run counts as failed (0.001 = 0.1 %).</summary>
    public double MaxLostShare { get; init; } = 0.001;

    /// <summary>Each call sends what one tick queues in one write (false: every message in a write of its own).</summary>
    public bool BatchWrites { get; init; } = true;

    /// <summary>The media worker's process id, to sample its CPU and memory.</summary>
    public int? WorkerPid { get; init; }

    /// <summary>Checks the bounds; returns the problem with its option name, or null.</summary>
    public string? Problem() =>
        Calls is < 1 or > MaxCalls ? $"--calls must be between 1 and {MaxCalls}." :
        Duration <= TimeSpan.Zero || Duration > MaxDuration ? $"--duration must be above 0 and at most {MaxDuration}." :
        Ramp < TimeSpan.Zero || Ramp >= Duration ? "--ramp must be shorter than --duration." :
        WarmUp < TimeSpan.Zero ? "--warm-up must not be negative." :
        MaxLostShare is < 0 or > 1 || double.IsNaN(MaxLostShare) ? "--max-lost must be a share from 0 to 100%." :
        !Bridge.TwilioStandIn.Calls.CallSimulationOptions.IsLoopback(Routes.Resolve(WebhookUrl)) ? $"--url {WebhookUrl} is not on this machine: load tests only call localhost or loopback addresses." :
        null;
}
