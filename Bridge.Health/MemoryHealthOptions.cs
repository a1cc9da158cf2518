using System.ComponentModel.DataAnnotations;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// When memory makes a service degraded or unready. Both thresholds are percentages of the memory the GC may use
/// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>): in a container, its heap limit (by default 75 % of the
/// container's memory limit); otherwise the machine's memory. Section <c>Health:Memory</c>.
/// </summary>
public sealed class MemoryHealthOptions
{
    public const string SectionName = "Health:Memory";

    /// <summary>The managed heap (as of the last GC) at or past this reports Degraded: still ready, but worth a look.</summary>
    [Range(1, 100, ErrorMessage = "Health:Memory:DegradedHeapPercent must be between 1 and 100.")]
    public int DegradedHeapPercent { get; set; } = 75;

    /// <summary>The process's working set at or past this reports Unhealthy: not ready, so no new work arrives.</summary>
    [Range(1, 100, ErrorMessage = "Health:Memory:UnhealthyWorkingSetPercent must be between 1 and 100.")]
    public int UnhealthyWorkingSetPercent { get; set; } = 90;
}
