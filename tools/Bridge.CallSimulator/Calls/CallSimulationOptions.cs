using Bridge.CallSimulator.Media;
using Bridge.CallSimulator.Twilio;

namespace Bridge.CallSimulator.Calls;

/// <summary>One simulated inbound call: where Twilio would send its webhook, as whom, and what the caller does.</summary>
public sealed record CallSimulationOptions
{
    /// <summary>The voice webhook (the api's <c>/webhook</c>).</summary>
    public required Uri WebhookUrl { get; init; }

    /// <summary>The account's auth token: signs every request and the WebSocket upgrade.</summary>
    public required string AuthToken { get; init; }

    public string AccountSid { get; init; } = DefaultAccountSid;

    public string From { get; init; } = "+14155550100";

    public string To { get; init; } = "+15005550006";

    public MediaStreamOptions Media { get; init; } = new();

    /// <summary>Time to open the WebSocket before Twilio gives up (31901).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Refuse to send anything to a host that is not this machine (load tests).</summary>
    public bool LoopbackOnly { get; init; }

    /// <summary>
    /// The call is the root of a sampled trace whose context goes with every request (<see cref="Tracing.CallTracing"/>).
    /// A load test turns this off, so that the services sample its calls as they do untraced traffic.
    /// </summary>
    public bool Traced { get; init; } = true;

    /// <summary>Twilio follows at most this many documents (webhook, redirects, actions) per call here.</summary>
    public int MaxDocuments { get; init; } = 10;

    /// <summary>A fixed, obviously simulated account, so repeated runs look like one account.</summary>
    public const string DefaultAccountSid = "AC00000000000000000000000000000000";

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || string.Equals(url.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase);

    internal static void RequireLoopback(Uri url, string what)
    {
        if (!IsLoopback(url))
        {
            throw new TwilioCallException(0, $"{what} {url} is not on this machine; this mode only calls localhost or loopback addresses");
        }
    }
}
