using System.Threading.Channels;

namespace Bridge.Buffers;

/// <summary>
/// A channel bounded by the bytes its items hold, not by their number: a writer waits while the items queued hold
/// <see cref="CapacityBytes"/> or more, so what a slow reader leaves queued is bounded in memory whatever size the
/// producer makes its items. An item larger than the capacity still passes, alone. Several writers, any readers; the
/// reader side is a plain <see cref="ChannelReader{T}"/>.
/// </summary>
public sealed class SizeBoundedChannel<T>
{
    private readonly Channel<(T Item, int Size)> _items = Channel.CreateUnbounded<(T, int)>();
    private readonly Func<T, int> _sizeOf;
    private readonly Lock _lock = new();
    private TaskCompletionSource? _roomMade;
    private long _queuedBytes;
    private bool _completed;

    public SizeBoundedChannel(int capacityBytes, Func<T, int> sizeOf)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        CapacityBytes = capacityBytes;
        _sizeOf = sizeOf;
        Reader = new SizeBoundedReader(this);
    }

    public int CapacityBytes { get; }

    public ChannelReader<T> Reader { get; }

    /// <summary>Bytes held by the items queued now.</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_lock)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="item"/> once there is room for it (at once when there is). Returns false, dropping it,
    /// once the channel is complete.
    /// </summary>
    public async ValueTask<bool> WriteAsync(T item, CancellationToken cancellationToken)
    {
        var size = _sizeOf(item);
        while (true)
        {
            Task roomMade;
            lock (_lock)
            {
                if (_completed)
                {
                    return false;
                }
                if (_queuedBytes == 0 || _queuedBytes + size <= CapacityBytes)
                {
                    _queuedBytes += size;
                    _items.Writer.TryWrite((item, size));
                    return true;
                }
                _roomMade ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                roomMade = _roomMade.Task;
            }
            await roomMade.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>No more items: readers get those queued, then the end (or <paramref name="error"/>); waiting writers give up.</summary>
    public bool TryComplete(Exception? error = null)
    {
        lock (_lock)
        {
            _completed = true;
            SignalRoom();
        }
        return _items.Writer.TryComplete(error);
    }

    private void Taken(int size)
    {
        lock (_lock)
        {
            _queuedBytes -= size;
            SignalRoom();
        }
    }

    private void SignalRoom()
    {
        _roomMade?.TrySetResult();
        _roomMade = null;
    }

    private sealed class SizeBoundedReader(SizeBoundedChannel<T> channel) : ChannelReader<T>
    {
        private ChannelReader<(T Item, int Size)> Items => channel._items.Reader;

        public override Task Completion => Items.Completion;

        public override bool CanCount => true;

        public override int Count => Items.Count;

        public override bool CanPeek => true;

        public override bool TryPeek(out T item)
        {
            var peeked = Items.TryPeek(out var entry);
            item = entry.Item;
            return peeked;
        }

        public override bool TryRead(out T item)
        {
            if (Items.TryRead(out var entry))
            {
                channel.Taken(entry.Size);
                item = entry.Item;
                return true;
            }
            item = default!;
            return false;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => Items.WaitToReadAsync(cancellationToken);
    }
}
