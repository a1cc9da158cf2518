using Bridge.Tests.Support;

namespace Bridge.Tests.Reliability;

/// <summary>An in-process worker shared by a test class, warmed up, with the resource counts it idles at.</summary>
public sealed class WarmedUpWorker : IAsyncLifetime
{
    public InProcessMediaWorker Instance { get; private set; } = null!;

    public WorkerResources Baseline { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Instance = await InProcessMediaWorker.StartAsync();
        Baseline = await WorkerResourceAssert.WarmUpAsync(Instance);
    }

    public async Task DisposeAsync() => await Instance.DisposeAsync();
}
