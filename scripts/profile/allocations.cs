#:package Microsoft.Diagnostics.Tracing.TraceEvent
// What a process allocates, by type and by the method that allocated, from a dotnet-trace file with the GC's
// allocation ticks (the gc-verbose profile: one event per ~100 KB allocated, naming the type and, with the stack,
// the allocating method). scripts/load-test.sh records one of the worker's steady window with WORKER_TRACE=file.
//
//   dotnet run scripts/profile/allocations.cs -- artifacts/worker.nettrace [CALLS] [SECONDS]
//
// With CALLS and SECONDS (the steady window's calls and length) the bytes are also given per call-second.
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: dotnet run scripts/profile/allocations.cs -- FILE.nettrace [CALLS] [SECONDS]");
    return 2;
}
var calls = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
var seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;

using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
var byType = new Dictionary<string, long>();
var bySite = new Dictionary<string, long>();
long total = 0;
var source = log.Events.GetSource();
source.Clr.GCAllocationTick += (GCAllocationTickTraceData e) =>
{
    var bytes = e.AllocationAmount64;
    total += bytes;
    var type = e.TypeName ?? "?";
    byType[type] = byType.GetValueOrDefault(type) + bytes;
    var site = AllocatingMethod(e.CallStack());
    bySite[$"{site}  ({type})"] = bySite.GetValueOrDefault($"{site}  ({type})") + bytes;
};
source.Process();

string Per(long bytes) => calls > 0 && seconds > 0 ? $"{bytes / calls / seconds / 1024.0,8:0.0} KB/call-s" : "";
Console.WriteLine($"Sampled allocations: {total / 1048576.0:0.0} MB {Per(total)}");
Console.WriteLine("By type:");
foreach (var (type, bytes) in byType.OrderByDescending(p => p.Value).Take(25))
{
    Console.WriteLine($"  {100.0 * bytes / total,5:0.0} %  {Per(bytes)}  {type}");
}
Console.WriteLine("By allocating method (the first frame outside the runtime's allocation helpers and collections):");
foreach (var (site, bytes) in bySite.OrderByDescending(p => p.Value).Take(40))
{
    Console.WriteLine($"  {100.0 * bytes / total,5:0.0} %  {Per(bytes)}  {site}");
}
return 0;

static string AllocatingMethod(TraceCallStack? stack)
{
    var frames = new List<string>();
    for (var frame = stack; frame is not null && frames.Count < 40; frame = frame.Caller)
    {
        frames.Add(frame.CodeAddress.FullMethodName);
    }
    // The innermost frame that is neither the runtime's nor a general-purpose helper says who allocated.
    var interesting = frames.FirstOrDefault(f => f.Length > 0 && !IsHelper(f));
    return interesting ?? frames.FirstOrDefault(f => f.Length > 0) ?? "?";
}

static bool IsHelper(string method) =>
    method.StartsWith("System.GC", StringComparison.Ordinal) ||
    method.StartsWith("System.Runtime.", StringComparison.Ordinal) ||
    method.StartsWith("System.Buffers.", StringComparison.Ordinal) ||
    method.StartsWith("System.Collections.", StringComparison.Ordinal) ||
    method.StartsWith("System.String", StringComparison.Ordinal) ||
    method.StartsWith("System.Array", StringComparison.Ordinal) ||
    method.StartsWith("System.Threading.Tasks.", StringComparison.Ordinal) ||
    method.StartsWith("System.Linq.", StringComparison.Ordinal);
