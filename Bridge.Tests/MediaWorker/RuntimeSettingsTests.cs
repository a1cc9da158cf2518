using System.Text.Json;

namespace Bridge.Tests.MediaWorker;

/// <summary>
/// The runtime settings the worker's CPU and memory figures were measured with (docs/benchmarks.md) are in the
/// runtimeconfig.json it is started with, not only in the build files: thread-pool threads that do not spin before
/// they sleep, workstation GC with its gen0 budget capped at 8 MB, and no dynamic PGO.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_worker_starts_with_thread_pool_spinning_off_workstation_GC_a_capped_gen0_budget_and_no_dynamic_PGO()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Bridge.MediaWorker.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(8 * 1024 * 1024, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }
}
