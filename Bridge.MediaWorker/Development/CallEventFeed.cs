using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Bridge.MediaWorker.Development;

/// <summary>
/// Hands each call's events to whoever watches that call. Nothing is kept for calls nobody watches, and a watcher
/// that falls behind loses its oldest events, never the call's time.
/// </summary>
public sealed class CallEventFeed
{
    private const int EventsPerWatcher = 256;

    private readonly ConcurrentDictionary<string, ImmutableWatchers> _watchers = new(StringComparer.Ordinal);

    public CallEventWatch Watch(string callSid)
    {
        var channel = Channel.CreateBounded<CallEvent>(new BoundedChannelOptions(EventsPerWatcher)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _watchers.AddOrUpdate(callSid, _ => new([channel]), (_, list) => list.With(channel));
        return new CallEventWatch(channel.Reader, () => Unwatch(callSid, channel));
    }

    public void Publish(string callSid, CallEvent callEvent)
    {
        if (!_watchers.TryGetValue(callSid, out var watchers))
        {
            return;
        }
        foreach (var channel in watchers.Channels)
        {
            channel.Writer.TryWrite(callEvent);
        }
    }

    private void Unwatch(string callSid, Channel<CallEvent> channel)
    {
        channel.Writer.TryComplete();
        while (_watchers.TryGetValue(callSid, out var list))
        {
            var remaining = list.Without(channel);
            var done = remaining.Channels.Count == 0
                ? _watchers.TryRemove(KeyValuePair.Create(callSid, list))
                : _watchers.TryUpdate(callSid, remaining, list);
            if (done)
            {
                return;
            }
        }
    }

    private sealed record ImmutableWatchers(IReadOnlyList<Channel<CallEvent>> Channels)
    {
        public ImmutableWatchers With(Channel<CallEvent> channel) => new([.. Channels, channel]);

        public ImmutableWatchers Without(Channel<CallEvent> channel) => new(Channels.Where(c => c != channel).ToList());
    }
}

/// <summary>One watcher of one call: its events, until disposed.</summary>
public sealed class CallEventWatch(ChannelReader<CallEvent> events, Action stop) : IDisposable
{
    public ChannelReader<CallEvent> Events { get; } = events;

    public void Dispose() => stop();
}
