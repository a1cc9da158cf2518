using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Admits calls up to <c>Calls:MaxConcurrent</c>, reports readiness (not ready while full or draining), and on
/// shutdown stops admitting, waits for the live calls to end, and past the drain deadline asks each to end.
/// </summary>
public sealed partial class CallRegistry
{
    private readonly object _gate = new();
    private readonly HashSet<CallLease> _active = [];
    private readonly CallOptions _options;
    private readonly ReadinessState _readiness;
    private readonly ILogger<CallRegistry> _logger;
    private readonly CancellationTokenSource _endCalls = new();
    private TaskCompletionSource _idle = NewIdleSignal(completed: true);
    private bool _draining;

    public CallRegistry(IOptions<CallOptions> options, ReadinessState readiness, ILogger<CallRegistry> logger)
    {
        _options = options.Value;
        _readiness = readiness;
        _logger = logger;
    }

    /// <summary>Raised with the new count whenever a call is admitted or released.</summary>
    public event Action<int>? ActiveChanged;

    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _active.Count;
            }
        }
    }

    public bool IsDraining
    {
        get
        {
            lock (_gate)
            {
                return _draining;
            }
        }
    }

    /// <summary>Whether a call would be admitted now (neither full nor draining); <see cref="TryAdmit"/> decides.</summary>
    public bool CanAdmit
    {
        get
        {
            lock (_gate)
            {
                return !_draining && _active.Count < _options.MaxConcurrent;
            }
        }
    }

    /// <summary>Cancelled when the drain deadline passes: every live call should say goodbye and end.</summary>
    public CancellationToken EndCallsRequested => _endCalls.Token;

    /// <summary>A place for one call, or null when the worker is full or draining.</summary>
    public CallLease? TryAdmit()
    {
        int count;
        lock (_gate)
        {
            if (_draining || _active.Count >= _options.MaxConcurrent)
            {
                return null;
            }
            var lease = new CallLease(this);
            _active.Add(lease);
            count = _active.Count;
            if (count == 1)
            {
                _idle = NewIdleSignal(completed: false);
            }
            UpdateReadiness();
            ActiveChanged?.Invoke(count);
            return lease;
        }
    }

    internal void Release(CallLease lease)
    {
        lock (_gate)
        {
            if (!_active.Remove(lease))
            {
                return;
            }
            if (_active.Count == 0)
            {
                _idle.TrySetResult();
            }
            UpdateReadiness();
            ActiveChanged?.Invoke(_active.Count);
        }
    }

    /// <summary>
    /// Stops admitting at once (readiness goes false), lets live calls run until they end or the drain timeout
    /// passes, then asks each to end and waits (briefly) for them to do so.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        Task idle;
        int active;
        lock (_gate)
        {
            _draining = true;
            UpdateReadiness();
            idle = _idle.Task;
            active = _active.Count;
        }
        LogDraining(active, _options.DrainTimeout);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.DrainTimeout);
        if (await Completes(idle, deadline.Token))
        {
            LogDrained();
            return;
        }

        LogEndingCalls(Active);
        await _endCalls.CancelAsync();
        await Completes(idle, cancellationToken);
    }

    private static async Task<bool> Completes(Task task, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void UpdateReadiness()
    {
        if (_draining)
        {
            _readiness.MarkNotReady("draining");
        }
        else if (_active.Count >= _options.MaxConcurrent)
        {
            _readiness.MarkNotReady($"full ({_active.Count} calls)");
        }
        else
        {
            _readiness.MarkReady();
        }
    }

    private static TaskCompletionSource NewIdleSignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }
        return signal;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: no new calls; waiting up to {DrainTimeout} for {Active} live calls to end")]
    private partial void LogDraining(int active, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: every call has ended")]
    private partial void LogDrained();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain deadline passed: ending {Active} live calls politely")]
    private partial void LogEndingCalls(int active);
}
