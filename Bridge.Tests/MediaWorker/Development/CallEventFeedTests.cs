using Bridge.MediaWorker.Development;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.MediaWorker.Development;

/// <summary>The Development call event feed: a call's logged turns, to whoever watches that call, and only in Development.</summary>
public sealed partial class CallEventFeedTests
{
    [Fact]
    public async Task The_turns_a_call_logs_under_its_CallSid_reach_the_watchers_of_that_call_only()
    {
        var feed = new CallEventFeed();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(new CallEventLoggerProvider(feed)));
        var logger = factory.CreateLogger("Bridge.MediaWorker.Calls.BridgedCall");
        using var watch = feed.Watch("CA1");
        using var other = feed.Watch("CA2");

        using (logger.BeginScope(new Dictionary<string, object> { ["CallSid"] = "CA1", ["StreamSid"] = "MZ1" }))
        {
            LogCallerSaid(logger, "hello");
            LogAssistantSaid(logger, "hi there");
            LogAssistantInterrupted(logger, "how can");
            LogSomethingElse(logger, "not a turn");
            LogCallSummary(logger, "caller-hung-up");
        }
        LogCallerSaid(logger, "outside any call");

        Assert.Equal(
            [new CallEvent("caller", "hello"), new CallEvent("assistant", "hi there"), new CallEvent("assistant", "how can", Interrupted: true), new CallEvent("ended", "caller-hung-up")],
            await Drain(watch));
        Assert.Empty(await Drain(other));
    }

    [Fact]
    public void Nothing_is_kept_for_a_call_nobody_watches_and_a_watcher_that_left_is_forgotten()
    {
        var feed = new CallEventFeed();
        feed.Publish("CA1", new CallEvent("caller", "unseen"));
        var watch = feed.Watch("CA1");
        watch.Dispose();

        feed.Publish("CA1", new CallEvent("caller", "after"));

        Assert.True(watch.Events.Completion.IsCompleted);
        Assert.False(watch.Events.TryRead(out _));
    }

    [Fact]
    public void The_feed_is_refused_outside_Development()
    {
        var production = new CallEventFeedOptionsValidator(new FakeEnvironment("Production"));
        var development = new CallEventFeedOptionsValidator(new FakeEnvironment("Development"));

        var refused = production.Validate(null, new CallEventFeedOptions { CallEvents = true });

        Assert.True(refused.Failed);
        Assert.StartsWith("Development:CallEvents is allowed only in the Development environment", refused.FailureMessage, StringComparison.Ordinal);
        Assert.True(production.Validate(null, new CallEventFeedOptions()).Succeeded);
        Assert.True(development.Validate(null, new CallEventFeedOptions { CallEvents = true }).Succeeded);
    }

    private static async Task<List<CallEvent>> Drain(CallEventWatch watch)
    {
        var events = new List<CallEvent>();
        while (watch.Events.TryRead(out var callEvent))
        {
            events.Add(callEvent);
        }
        await Task.Yield();
        return events;
    }

    // The worker's own log events, by the names it gives them.
    [LoggerMessage(Level = LogLevel.Information, EventName = "CallerSaid", Message = "Caller: {Text}")]
    private static partial void LogCallerSaid(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Information, EventName = "AssistantSaid", Message = "Assistant: {Text}")]
    private static partial void LogAssistantSaid(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Information, EventName = "AssistantInterrupted", Message = "Assistant (interrupted; the caller heard): {Text}")]
    private static partial void LogAssistantInterrupted(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Information, EventName = "SomethingElse", Message = "Other: {Text}")]
    private static partial void LogSomethingElse(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Information, EventName = "CallSummary", Message = "Call ended ({Reason})")]
    private static partial void LogCallSummary(ILogger logger, string reason);

    private sealed class FakeEnvironment(string name) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "";

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
