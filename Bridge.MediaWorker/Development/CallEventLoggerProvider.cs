using Microsoft.Extensions.Logging;

namespace Bridge.MediaWorker.Development;

/// <summary>
/// Feeds <see cref="CallEventFeed"/> from the call's own structured log events — the turns it logs anyway
/// (<c>CallerSaid</c>, <c>AssistantSaid</c>, <c>AssistantInterrupted</c>, <c>LocalBargeIn</c>, <c>CallSummary</c>),
/// each under the call's <c>CallSid</c> scope — so the feed needs no hook inside the call and sees exactly what the
/// log says. Registered only when the feed is on.
/// </summary>
[ProviderAlias("CallEventFeed")]
public sealed class CallEventLoggerProvider(CallEventFeed feed) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => new FeedLogger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Log<TState>(EventId eventId, TState state)
    {
        if (eventId.Name is not ("CallerSaid" or "AssistantSaid" or "AssistantInterrupted" or "LocalBargeIn" or "CallSummary") ||
            CurrentCallSid() is not { } callSid)
        {
            return;
        }
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        string? Value(string name) => values.FirstOrDefault(v => v.Key == name).Value?.ToString();
        feed.Publish(callSid, eventId.Name switch
        {
            "CallerSaid" => new CallEvent("caller", Value("Text")),
            "AssistantSaid" => new CallEvent("assistant", Value("Text")),
            "AssistantInterrupted" => new CallEvent("assistant", Value("Text"), Interrupted: true),
            "LocalBargeIn" => new CallEvent("local-barge-in", null),
            _ => new CallEvent("ended", Value("Reason")),
        });
    }

    private string? CurrentCallSid()
    {
        var found = new FoundCallSid();
        _scopes.ForEachScope(static (scope, found) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == "CallSid" && value is string sid)
                    {
                        found.Value = sid;
                    }
                }
            }
        }, found);
        return found.Value;
    }

    private sealed class FoundCallSid
    {
        public string? Value { get; set; }
    }

    private sealed class FeedLogger(CallEventLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Log(eventId, state);
    }
}
