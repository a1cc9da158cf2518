using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Support;

/// <summary>A logger that keeps every event with its name and structured values, so a test can read what a log line said.</summary>
public sealed class StructuredLogRecorder : ILogger
{
    public sealed record Entry(LogLevel Level, string EventName, string Message, IReadOnlyDictionary<string, object?> Values);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    /// <summary>The one event named <paramref name="eventName"/>.</summary>
    public Entry Single(string eventName) => Assert.Single(Entries, e => e.EventName == eventName);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value)
            : new Dictionary<string, object?>();
        Entries.Enqueue(new Entry(logLevel, eventId.Name ?? "", formatter(state, exception), values));
    }
}
