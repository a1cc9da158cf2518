namespace Bridge.Emulator.Faults;

/// <summary>
/// A queue of fault plans for the next streams to open, for tests whose client cannot set the x-emulator-fault
/// header: each stream takes (and removes) the first plan queued.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly Queue<FaultPlan> _next = new();

    /// <summary>The next stream to open gets these faults (in the x-emulator-fault syntax).</summary>
    public void InjectIntoNextStream(string faults) => InjectIntoNextStream(FaultPlan.Parse(faults));

    public void InjectIntoNextStream(FaultPlan plan)
    {
        lock (_lock)
        {
            _next.Enqueue(plan);
        }
    }

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _next.Count;
            }
        }
    }

    internal FaultPlan TakeNext()
    {
        lock (_lock)
        {
            return _next.TryDequeue(out var plan) ? plan : FaultPlan.None;
        }
    }
}
