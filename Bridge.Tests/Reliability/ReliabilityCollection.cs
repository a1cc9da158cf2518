namespace Bridge.Tests.Reliability;

/// <summary>
/// The reliability suite runs alone, after the parallel tests: it loads the machine on purpose, and it compares
/// process-wide counts (timers, pooled buffers) with their baseline, which other tests would disturb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability";
}
