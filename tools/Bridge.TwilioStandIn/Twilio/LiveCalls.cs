using System.Collections.Concurrent;

namespace Bridge.TwilioStandIn.Twilio;

/// <summary>What Twilio's REST API was asked to do to a live call.</summary>
public abstract record CallUpdate;

/// <summary><c>Status=completed</c>: Twilio ends the call.</summary>
public sealed record CompleteCall : CallUpdate;

/// <summary><c>Twiml=…</c> or <c>Url=…</c>: the call leaves what it was doing (a stream stops) and runs this instead.</summary>
public sealed record RedirectCall(TwimlDocument? Twiml, Uri? Url, HttpMethod Method) : CallUpdate;

/// <summary>
/// The simulator's calls in progress, by CallSid: the REST API updates them, the simulation reads the update when
/// the stream it interrupted has stopped.
/// </summary>
public sealed class LiveCalls
{
    private readonly ConcurrentDictionary<string, LiveCall> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Uri> _forwarded = new(StringComparer.Ordinal);

    /// <summary>Set when another stand-in serves the shared address: each call is announced to it (<see cref="SharedRestApi"/>).</summary>
    private (Uri Shared, Uri Own)? _joined;

    public LiveCall Register(string accountSid, string callSid, string authToken, string direction = "inbound")
    {
        var call = new LiveCall(accountSid, authToken, direction);
        _calls[callSid] = call;
        return call;
    }

    /// <summary>Registers the call, and announces it to the stand-in serving the shared address if that is not this one.</summary>
    public async Task<LiveCall> RegisterAsync(string accountSid, string callSid, string authToken, string direction = "inbound")
    {
        var call = Register(accountSid, callSid, authToken, direction);
        if (_joined is { } joined)
        {
            call.AnnouncedToSharedApi = await SharedRestApi.AnnounceAsync(joined.Shared, joined.Own, callSid, ending: false);
        }
        return call;
    }

    public void Remove(string callSid)
    {
        if (_calls.TryRemove(callSid, out var call))
        {
            call.Dispose();
        }
    }

    public async Task RemoveAsync(string callSid)
    {
        Remove(callSid);
        if (_joined is { } joined)
        {
            await SharedRestApi.AnnounceAsync(joined.Shared, joined.Own, callSid, ending: true);
        }
    }

    public bool TryGet(string callSid, out LiveCall call) => _calls.TryGetValue(callSid, out call!);

    internal void Join(Uri shared, Uri own) => _joined = (shared, own);

    internal void Forward(string callSid, Uri owner) => _forwarded[callSid] = owner;

    internal void StopForwarding(string callSid) => _forwarded.TryRemove(callSid, out _);

    internal bool TryGetForward(string callSid, out Uri owner) => _forwarded.TryGetValue(callSid, out owner!);
}

/// <summary>One call in progress: who owns it, its status, and the update that interrupts what it is doing.</summary>
public sealed class LiveCall(string accountSid, string authToken, string direction = "inbound") : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _interrupted = new();
    private CallUpdate? _update;
    private volatile string _status = "ringing";

    public string AccountSid { get; } = accountSid;

    public string AuthToken { get; } = authToken;

    /// <summary><c>inbound</c>, or <c>outbound-api</c> for a call placed through <c>POST …/Calls.json</c>.</summary>
    public string Direction { get; } = direction;

    /// <summary>Where the call's status callbacks go now: set when the call is placed, replaced by an update's <c>StatusCallback</c>.</summary>
    public Uri? StatusCallback { get; set; }

    /// <summary>False when another stand-in serves the shared REST API address and could not be told of this call.</summary>
    public bool AnnouncedToSharedApi { get; internal set; } = true;

    /// <summary>Twilio's call status: <c>ringing</c> until the voice webhook has answered, then <c>in-progress</c>.</summary>
    public string Status => _status;

    /// <summary>The voice webhook answered: the call is in progress.</summary>
    public void Answered() => _status = "in-progress";

    /// <summary>Cancelled when an update arrives: the stream in progress stops (Twilio sends <c>stop</c> and closes).</summary>
    public CancellationToken Interrupted
    {
        get
        {
            lock (_gate)
            {
                return _interrupted.Token;
            }
        }
    }

    /// <summary>Records <paramref name="update"/> unless one is already waiting to be acted on.</summary>
    public bool TryUpdate(CallUpdate update)
    {
        lock (_gate)
        {
            if (_update is not null)
            {
                return false;
            }
            _update = update;
            _interrupted.Cancel();
            return true;
        }
    }

    /// <summary>The update to act on now, if any; a later update may interrupt what the call runs next.</summary>
    public CallUpdate? TakeUpdate()
    {
        lock (_gate)
        {
            var update = _update;
            if (update is not null)
            {
                _update = null;
                _interrupted.Dispose();
                _interrupted = new CancellationTokenSource();
            }
            return update;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _interrupted.Dispose();
        }
    }
}
