namespace Bridge.Tests.Support;

/// <summary>
/// What code allocates on the calling thread, for the tests that hold a hot path to zero bytes. The runtime itself
/// now and then allocates a few bytes on a thread whose methods it is compiling again (tiering, on-stack
/// replacement), more often on a busy machine (24 bytes once in CI, 2026-12-07): a round of calls is repeated until
/// one allocates nothing. Code that allocates on every call, or every few calls, allocates in every round and fails.
/// </summary>
public static class Allocations
{
    private const int Rounds = 20;

    /// <summary>The fewest bytes one run of <paramref name="round"/> allocated: 0 as soon as a run allocated nothing.</summary>
    public static long FewestPerRound(Action round)
    {
        var fewest = long.MaxValue;
        for (var run = 0; run < Rounds && fewest > 0; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            round();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
