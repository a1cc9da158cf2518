using System.Threading.Tasks.Sources;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Wakes one waiting loop: <see cref="Set"/> any number of times, and the wait under way (or the next one) completes
/// once. Every wait reuses the one completion source, so a wait that has to wait allocates nothing (a
/// <see cref="SemaphoreSlim"/>'s allocated a task and its node each time: the playout sender used to wait 25 times a second
/// per call). One waiter at a time; continuations run on the thread pool, never inside <see cref="Set"/>.
/// </summary>
internal sealed class WakeSignal : IValueTaskSource
{
    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _cancellation;
    private bool _set;
    private bool _waiting;

    /// <summary>A wake-up is pending: the next wait completes at once.</summary>
    public bool IsSet
    {
        get
        {
            lock (_lock)
            {
                return _set;
            }
        }
    }

    public void Set()
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                _set = true;
                return;
            }
            _waiting = false;
        }
        _completion.SetResult(true);
    }

    /// <summary>Completes once <see cref="Set"/> has been called since the last wait; throws when cancelled first.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_waiting)
            {
                throw new InvalidOperationException("A WakeSignal has one waiter at a time.");
            }
            if (_set)
            {
                _set = false;
                return ValueTask.CompletedTask;
            }
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }
            _completion.Reset();
            _waiting = true;
        }
        // Outside the lock: a token cancelled meanwhile runs the callback here and now.
        var registration = cancellationToken.UnsafeRegister(static (state, token) => ((WakeSignal)state!).Cancel(token), this);
        lock (_lock)
        {
            if (_waiting)
            {
                // Disposed when the wait's result is taken, which is always after this method returns.
                _cancellation = registration;
                registration = default;
            }
        }
        registration.Dispose();
        return new ValueTask(this, _completion.Version);
    }

    private void Cancel(CancellationToken token)
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                return;
            }
            _waiting = false;
        }
        _completion.SetException(new OperationCanceledException(token));
    }

    void IValueTaskSource.GetResult(short token)
    {
        CancellationTokenRegistration registration;
        lock (_lock)
        {
            registration = _cancellation;
            _cancellation = default;
        }
        registration.Dispose();
        _completion.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
