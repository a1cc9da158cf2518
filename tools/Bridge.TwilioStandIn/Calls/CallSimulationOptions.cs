using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;

namespace Bridge.TwilioStandIn.Calls;

/// <summary>One simulated call: where Twilio would send its webhook, as whom, and what the caller (or the callee of an outbound call) does.</summary>
public sealed record CallSimulationOptions
{
    /// <summary>The voice webhook (the api's <c>/webhook</c>), or an outbound call's <c>Url</c>.</summary>
    public required Uri WebhookUrl { get; init; }

    /// <summary>How the first document is fetched (an outbound call's <c>Method</c>).</summary>
    public HttpMethod WebhookMethod { get; init; } = HttpMethod.Post;

    /// <summary><c>inbound</c>, or <c>outbound-api</c> for a call placed through <c>POST …/Calls.json</c> (answered before its first document).</summary>
    public string Direction { get; init; } = "inbound";

    /// <summary>Synchronous answering machine detection's verdict, sent with every document request of an outbound call.</summary>
    public string? AnsweredBy { get; init; }

    /// <summary>The account's auth token: signs every request and the WebSocket upgrade.</summary>
    public required string AuthToken { get; init; }

    public string AccountSid { get; init; } = DefaultAccountSid;

    /// <summary>The call's SID (CA + 32 hex digits); a new one when not given.</summary>
    public string? CallSid { get; init; }

    public string From { get; init; } = "+14155550100";

    public string To { get; init; } = "+15005550006";

    public MediaStreamOptions Media { get; init; } = new();

    /// <summary>Told each step as it happens (what <see cref="CallSummary.Steps"/> lists at the end).</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Time to open the WebSocket before Twilio gives up (31901).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Refuse to send anything to a host that is not this machine (load tests).</summary>
    public bool LoopbackOnly { get; init; }

    /// <summary>Where the bridge's public URLs lead on this machine (a load balancer's part); none: every URL as it is.</summary>
    public PublicRoutes Routes { get; init; } = PublicRoutes.None;

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
