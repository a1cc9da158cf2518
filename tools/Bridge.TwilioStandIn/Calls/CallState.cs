using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;

namespace Bridge.TwilioStandIn.Calls;

/// <summary>What a <see cref="CallSimulation"/> knows of its call as it goes: its identity and status, the steps taken, warnings, the stream.</summary>
internal sealed class CallState(CallIdentity call, TwilioHttpClient client, bool loopbackOnly, PublicRoutes routes, IProgress<string>? progress)
{
    public bool LoopbackOnly { get; } = loopbackOnly;

    public PublicRoutes Routes { get; } = routes;

    public CallIdentity Call { get; } = call;

    public TwilioHttpClient Client { get; } = client;

    public string CallStatus { get; set; } = "ringing";

    public string Direction { get; init; } = "inbound";

    public string? AnsweredBy { get; init; }

    public int Documents { get; set; } = 1;

    public string? StreamSid { get; set; }

    public MediaStreamResult? Stream { get; set; }

    public bool StreamStoppedByUpdate { get; set; }

    public TwilioWarning? Error { get; set; }

    public List<TwilioWarning> Warnings { get; } = [];

    private readonly List<string> _steps = [];

    public void Step(string step)
    {
        _steps.Add(step);
        progress?.Report(step);
    }

    public CallSummary Summary(string outcome) => new()
    {
        CallSid = Call.CallSid,
        StreamSid = StreamSid,
        Outcome = outcome,
        Steps = _steps.ToList(),
        Error = Error,
        Warnings = Warnings.ToList(),
        Stream = Stream,
        StreamStoppedByUpdate = StreamStoppedByUpdate,
    };
}
