namespace Bridge.MediaWorker.Calls;

/// <summary>One admitted call's place in the registry; disposing it frees the place.</summary>
public sealed class CallLease : IDisposable
{
    private readonly CallRegistry _registry;

    internal CallLease(CallRegistry registry) => _registry = registry;

    public void Dispose() => _registry.Release(this);
}
