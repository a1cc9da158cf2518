namespace Bridge.Deploy.TaskDefinitions.Fargate;

/// <summary>The task CPU / memory pairs Fargate accepts (Linux).</summary>
public static class FargateSizes
{
    private sealed record MemoryRange(int MinMiB, int MaxMiB, int StepMiB);

    private static readonly IReadOnlyDictionary<int, MemoryRange> MemoryByCpu = new Dictionary<int, MemoryRange>
    {
        [256] = new(512, 2048, 0),
        [512] = new(1024, 4096, 1024),
        [1024] = new(2048, 8192, 1024),
        [2048] = new(4096, 16384, 1024),
        [4096] = new(8192, 30720, 1024),
        [8192] = new(16384, 61440, 4096),
        [16384] = new(32768, 122880, 8192),
    };

    // 0.25 vCPU is the one size whose memory choices are not evenly spaced.
    private static readonly int[] QuarterVcpuMemory = [512, 1024, 2048];

    /// <summary>Null when the pair is valid, otherwise why not (naming the allowed values).</summary>
    public static string? Check(int cpu, int memory)
    {
        if (!MemoryByCpu.TryGetValue(cpu, out var range))
        {
            return $"cpu {cpu} is not a Fargate size; use one of {string.Join(", ", MemoryByCpu.Keys)}.";
        }
        var valid = range.StepMiB == 0
            ? QuarterVcpuMemory.Contains(memory)
            : memory >= range.MinMiB && memory <= range.MaxMiB && (memory - range.MinMiB) % range.StepMiB == 0;
        return valid ? null : $"memory {memory} does not go with cpu {cpu}; use {Describe(cpu, range)}.";
    }

    private static string Describe(int cpu, MemoryRange range) => range.StepMiB == 0
        ? string.Join(", ", QuarterVcpuMemory)
        : $"{range.MinMiB} to {range.MaxMiB} in steps of {range.StepMiB} (cpu {cpu})";
}
