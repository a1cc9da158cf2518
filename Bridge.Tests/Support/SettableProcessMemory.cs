using Microsoft.Extensions.Hosting;

namespace Bridge.Tests.Support;

/// <summary>Memory readings a test chooses, in place of the process's own.</summary>
public sealed class SettableProcessMemory : IProcessMemory
{
    private MemoryReading _reading = new(0, 0, 1);

    public void Set(long heapMb, long workingSetMb, long availableBytes) =>
        _reading = new MemoryReading(heapMb * 1024 * 1024, workingSetMb * 1024 * 1024, availableBytes);

    public MemoryReading Read() => _reading;
}
