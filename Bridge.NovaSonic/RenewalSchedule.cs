namespace Bridge.NovaSonic;

/// <summary>
/// When a stream is to be replaced: its renewal falls due <c>Conversation:RenewStreamAfter</c> after it opened; from
/// then on it goes at the first quiet moment (<see cref="IsQuietMoment"/>), or after
/// <c>Conversation:RenewalQuietWait</c> without one, regardless, before Bedrock's own limit ends the stream less
/// gracefully. Timers run on the injected <see cref="TimeProvider"/>, so the policy is tested on fake time.
/// Thread-safe; the callbacks run on timer threads, outside its lock.
/// </summary>
internal sealed class RenewalSchedule : IDisposable
{
    private readonly TimeSpan _renewAfter;
    private readonly TimeSpan _quietWait;
    private readonly TimeProvider _time;
    private readonly Action<int> _onDue;
    private readonly Action<int> _onOverdue;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private int _generation;
    private bool _due;
    private bool _stopped;

    /// <param name="onDue">Called with the stream's generation when its renewal falls due (to renew at once if quiet).</param>
    /// <param name="onOverdue">Called with the generation when a due renewal found no quiet moment in time.</param>
    public RenewalSchedule(NovaSonicOptions options, TimeProvider time, Action<int> onDue, Action<int> onOverdue)
    {
        _renewAfter = options.RenewStreamAfter;
        _quietWait = options.RenewalQuietWait;
        _time = time;
        _onDue = onDue;
        _onOverdue = onOverdue;
    }

    /// <summary>
    /// A quiet moment to switch streams: the model is not speaking and nothing it said is still playing, no tool is
    /// running, the caller has paused, and nothing the caller said is still waiting for the model's answer
    /// (switching then would lose the answer or half an utterance).
    /// </summary>
    public static bool IsQuietMoment(bool outputPlaying, bool modelSpeaking, int pendingToolUses, bool callerQuiet, bool awaitingReply) =>
        !outputPlaying && !modelSpeaking && pendingToolUses == 0 && callerQuiet && !awaitingReply;

    /// <summary>Stream <paramref name="generation"/> took over: its renewal falls due after <c>RenewStreamAfter</c>.</summary>
    public void Start(int generation)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            _generation = generation;
            _due = false;
            Replace(_time.CreateTimer(_ => OnDue(generation), null, _renewAfter, Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>Whether the renewal of stream <paramref name="generation"/> is due (and not yet started).</summary>
    public bool IsDue(int generation)
    {
        lock (_lock)
        {
            return _due && _generation == generation;
        }
    }

    /// <summary>A renewal started (or the stream failed): nothing is due until the next <see cref="Start"/>.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _due = false;
            Replace(null);
        }
    }

    /// <summary>The conversation ended: no timer fires any more.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
            _due = false;
            Replace(null);
        }
    }

    private void OnDue(int generation)
    {
        lock (_lock)
        {
            if (_stopped || generation != _generation)
            {
                return;
            }
            _due = true;
            Replace(_time.CreateTimer(_ => OnOverdue(generation), null, _quietWait, Timeout.InfiniteTimeSpan));
        }
        _onDue(generation);
    }

    private void OnOverdue(int generation)
    {
        if (IsDue(generation))
        {
            _onOverdue(generation);
        }
    }

    private void Replace(ITimer? timer)
    {
        _timer?.Dispose();
        _timer = timer;
    }
}
