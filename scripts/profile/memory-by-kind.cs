// Where a process's resident memory is, by kind, from /proc/PID/smaps (Linux): the GC heap (the anonymous block
// around the GC's reservation, committed regions included), the runtime's executable reservation (loader heaps and
// JIT-compiled code), thread stacks, other anonymous memory (malloc arenas, native buffers: OpenSSL, sockets'
// native state), the brk heap, the runtime's native libraries and the mapped assemblies. scripts/load-test.sh
// takes one reading of the idle worker and one in the steady window (WORKER_MEMORY=1) and gives the difference per call.
//
//   dotnet run scripts/profile/memory-by-kind.cs -- PID            a table in MB
//   dotnet run scripts/profile/memory-by-kind.cs -- PID --kb       kind<TAB>KB lines, for scripts
using System.Globalization;
using System.Text.RegularExpressions;

if (args.Length < 1 || !int.TryParse(args[0], out var pid))
{
    Console.Error.WriteLine("usage: dotnet run scripts/profile/memory-by-kind.cs -- PID [--kb]");
    return 2;
}
var raw = args.Contains("--kb");

var mappings = new List<Mapping>();
var header = new Regex(@"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$");
foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
{
    var match = header.Match(line);
    if (match.Success)
    {
        mappings.Add(new Mapping(ulong.Parse(match.Groups[1].Value, NumberStyles.HexNumber),
            ulong.Parse(match.Groups[2].Value, NumberStyles.HexNumber), match.Groups[4].Value.Trim()));
    }
    else if (line.StartsWith("Rss:", StringComparison.Ordinal) && mappings.Count > 0)
    {
        mappings[^1].RssKb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}

// The runtime reserves large anonymous ranges and commits parts of them, which splits them into adjacent mappings:
// the largest reservation is the GC's (256 GB by default), the next ones hold the loader heaps and JIT-compiled code.
var reservations = Enumerable.Range(0, mappings.Count)
    .Where(i => mappings[i].Size >= 1UL << 30 && IsAnonymous(mappings[i]))
    .OrderByDescending(i => mappings[i].Size)
    .ToList();
var gcHeap = reservations.Count > 0 ? AdjacentAnonymous(reservations[0]) : [];
var runtimeReservations = reservations.Skip(1).SelectMany(AdjacentAnonymous).ToHashSet();
var stacks = ThreadStacks();

var kinds = new Dictionary<string, long>();
for (var i = 0; i < mappings.Count; i++)
{
    var mapping = mappings[i];
    var kind = mapping.Name switch
    {
        _ when gcHeap.Contains(i) => "GC heap",
        _ when runtimeReservations.Contains(i) || mapping.Name.Contains("doublemapper", StringComparison.Ordinal) => "runtime reservation (loader heaps, JIT code)",
        _ when stacks.Contains(i) || mapping.Name == "[stack]" => "thread stacks",
        "[heap]" => "native heap (brk)",
        "" => "other anonymous (malloc arenas, native buffers)",
        var name when name.StartsWith('/') && name.Contains(".so", StringComparison.Ordinal) => "native libraries (.so)",
        var name when name.EndsWith(".dll", StringComparison.Ordinal) => "assemblies (.dll)",
        _ => "other",
    };
    kinds[kind] = kinds.GetValueOrDefault(kind) + mapping.RssKb;
}

if (raw)
{
    foreach (var (kind, kb) in kinds.OrderByDescending(k => k.Value))
    {
        Console.WriteLine($"{kind}\t{kb}");
    }
    Console.WriteLine($"total\t{kinds.Values.Sum()}");
    return 0;
}
Console.WriteLine($"pid {pid}: {kinds.Values.Sum() / 1024.0:F1} MB resident, {Directory.GetDirectories($"/proc/{pid}/task").Length} threads");
foreach (var (kind, kb) in kinds.OrderByDescending(k => k.Value))
{
    Console.WriteLine($"  {kind,-50} {kb / 1024.0,8:F1} MB");
}
return 0;

static bool IsAnonymous(Mapping mapping) => mapping.Name.Length == 0;

HashSet<int> AdjacentAnonymous(int index)
{
    var (low, high) = (index, index);
    while (low > 0 && mappings[low - 1].End == mappings[low].Start && IsAnonymous(mappings[low - 1]))
    {
        low--;
    }
    while (high + 1 < mappings.Count && mappings[high].End == mappings[high + 1].Start && IsAnonymous(mappings[high + 1]))
    {
        high++;
    }
    return Enumerable.Range(low, high - low + 1).ToHashSet();
}

// Each thread's stack is the mapping its stack pointer is in (the second-last field of /proc/PID/task/TID/syscall).
HashSet<int> ThreadStacks()
{
    var found = new HashSet<int>();
    foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
    {
        string[] fields;
        try
        {
            fields = File.ReadAllText(Path.Combine(task, "syscall")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            continue;
        }
        if (fields.Length < 3 || !ulong.TryParse(fields[^2].AsSpan(2), NumberStyles.HexNumber, null, out var stackPointer))
        {
            continue;
        }
        var index = mappings.FindIndex(m => m.Start <= stackPointer && stackPointer < m.End);
        if (index >= 0)
        {
            found.Add(index);
        }
    }
    return found;
}

sealed class Mapping(ulong start, ulong end, string name)
{
    public ulong Start { get; } = start;
    public ulong End { get; } = end;
    public ulong Size => End - Start;
    public string Name { get; } = name;
    public long RssKb { get; set; }
}
