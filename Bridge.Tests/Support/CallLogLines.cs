using Microsoft.Extensions.Logging.Testing;

namespace Bridge.Tests.Support;

/// <summary>What the worker logged about one call (by its CallSid, in the message, the state or a scope): the story a failed assertion prints.</summary>
public static class CallLogLines
{
    public static IEnumerable<string> About(FakeLogCollector logs, string callSid, int max = 40) =>
        logs.GetSnapshot()
            .Where(r => Mentions(r, callSid))
            .Take(max)
            .Select(r => $"{r.Timestamp:HH:mm:ss.fff} {r.Level} {r.Category}: {r.Message}");

    private static bool Mentions(FakeLogRecord record, string callSid) =>
        record.Message.Contains(callSid, StringComparison.Ordinal)
        || (record.StructuredState?.Any(p => p.Value?.Contains(callSid, StringComparison.Ordinal) == true) ?? false)
        || record.Scopes.Any(s => s?.ToString()?.Contains(callSid, StringComparison.Ordinal) == true
            || (s is IEnumerable<KeyValuePair<string, object?>> pairs && pairs.Any(p => p.Value?.ToString()?.Contains(callSid, StringComparison.Ordinal) == true)));
}
