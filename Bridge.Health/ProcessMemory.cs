namespace Microsoft.Extensions.Hosting;

/// <summary>The process's memory at one moment: the managed heap, the working set, and what the GC may use in all.</summary>
public readonly record struct MemoryReading(long HeapBytes, long WorkingSetBytes, long AvailableBytes);

public interface IProcessMemory
{
    MemoryReading Read();
}

/// <summary>Reads this process's memory from the GC and the operating system.</summary>
public sealed class ProcessMemory : IProcessMemory
{
    public MemoryReading Read()
    {
        var gc = GC.GetGCMemoryInfo();
        return new MemoryReading(gc.HeapSizeBytes, Environment.WorkingSet, gc.TotalAvailableMemoryBytes);
    }
}
