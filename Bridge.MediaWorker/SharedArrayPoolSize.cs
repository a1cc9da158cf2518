using System.Globalization;

namespace Bridge.MediaWorker;

/// <summary>
/// Lets the shared array pool keep more arrays of each size than its default (32 per processor). HttpClient's HTTP/2
/// connection takes a 16 KB block from it for every model event it receives and gives it back once the call has read
/// the event; with hundreds of calls more blocks are out at once than the pool keeps, so most were allocated anew and
/// collected — 165 KB per call-second, over half of all the worker allocated (docs/benchmarks.md, issue 18). The
/// runtime reads the setting once, from the environment only, when the pool is first used: so it is set here, before
/// anything rents, unless the operator gave a value of their own.
/// </summary>
internal static class SharedArrayPoolSize
{
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";
    public const int ArraysPerPartition = 512;

    public static void Apply()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Environment.SetEnvironmentVariable(Variable, ArraysPerPartition.ToString(CultureInfo.InvariantCulture));
        }
    }
}
