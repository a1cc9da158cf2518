#:package Microsoft.Diagnostics.Runtime
// What holds a live process's large arrays: every byte[] and short[] of 1 KB or more on its GC heap, grouped by its
// length and by the chain of objects that refer to it (up to three levels: the array of a Queue<byte[]> shows as
// "System.Byte[][] <- Queue<Byte[]> <- PooledByteQueue"). Only live objects count: those reachable from the roots
// (an array held only by a stack or a handle shows as "(root)"). Attaches with ptrace and suspends the process while
// it walks its heap (seconds at 500 calls): for a diagnostic load-test run, never a measured one (docs/benchmarks.md,
// issue 18 round 5).
//
//   dotnet run scripts/profile/heap-referrers.cs -- PID [CALLS]      CALLS: also give the count per call
using Microsoft.Diagnostics.Runtime;

if (args.Length < 1 || !int.TryParse(args[0], out var pid))
{
    Console.Error.WriteLine("usage: dotnet run scripts/profile/heap-referrers.cs -- PID [CALLS]");
    return 2;
}
var calls = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
const int MinimumBytes = 1024;
const int Levels = 3;

using var target = DataTarget.AttachToProcess(pid, suspend: true);
using var runtime = target.ClrVersions[0].CreateRuntime();
var heap = runtime.Heap;

var live = new HashSet<ulong>();
var pending = new Stack<ulong>(heap.EnumerateRoots().Select(root => root.Object.Address));
while (pending.TryPop(out var address))
{
    if (address == 0 || !live.Add(address))
    {
        continue;
    }
    foreach (var reference in heap.GetObject(address).EnumerateReferences())
    {
        pending.Push(reference.Address);
    }
}
var liveObjects = heap.EnumerateObjects().Where(item => item.IsValid && item.Type is not null && live.Contains(item.Address)).ToList();

var arrays = new Dictionary<ulong, string>();
foreach (var item in liveObjects)
{
    if (item.Type!.Name is "System.Byte[]" or "System.Int16[]" && (long)item.Size >= MinimumBytes)
    {
        arrays[item.Address] = $"{item.Type!.Name}[{item.AsArray().Length}]";
    }
}

// One walk of the heap per level: the first object found referring to each address of the level below.
var referrers = new List<Dictionary<ulong, (ulong Address, string Type)>>();
var wanted = arrays.Keys.ToHashSet();
for (var level = 0; level < Levels; level++)
{
    var found = new Dictionary<ulong, (ulong, string)>();
    foreach (var item in liveObjects)
    {
        foreach (var reference in item.EnumerateReferences())
        {
            if (wanted.Contains(reference.Address))
            {
                found.TryAdd(reference.Address, (item.Address, item.Type!.Name ?? "?"));
            }
        }
    }
    referrers.Add(found);
    wanted = found.Values.Select(referrer => referrer.Item1).ToHashSet();
}

string Chain(ulong address)
{
    var chain = arrays[address];
    for (var level = 0; level < Levels; level++)
    {
        if (!referrers[level].TryGetValue(address, out var referrer))
        {
            return chain + (level == 0 ? " <- (root)" : "");
        }
        chain += " <- " + referrer.Type;
        address = referrer.Address;
    }
    return chain;
}

var groups = arrays.Keys.GroupBy(Chain).OrderByDescending(group => group.Count()).ToList();
Console.WriteLine($"{arrays.Count} live arrays of {MinimumBytes} bytes or more ({live.Count} live objects), held by:");
foreach (var group in groups.Take(40))
{
    var perCall = calls > 0 ? $" ({group.Count() / calls:F2} per call)" : "";
    Console.WriteLine($"{group.Count(),7}{perCall}  {group.Key}");
}
return 0;
