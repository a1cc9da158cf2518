using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Where a media stream waits between its (signed) upgrade and a valid <c>start</c> with its stream token: a pool of
/// <c>Calls:PendingStreams:MaxTotal</c> places, at most <c>MaxPerAddress</c> per client address. The upgrade's
/// signature is the same for every call, so it proves little; a waiting socket holds no call slot, and a flood of them
/// neither fills the worker nor turns it not-ready. When the pool is full, the socket that has waited longest gives
/// way: Twilio's own sockets wait milliseconds, so they are never the oldest for long.
/// </summary>
public sealed class PendingStreams
{
    private readonly Lock _gate = new();
    private readonly LinkedList<PendingStream> _waiting = new();
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private readonly PendingStreamOptions _options;

    public PendingStreams(IOptions<PendingStreamOptions> options, IMeterFactory meterFactory)
    {
        _options = options.Value;
        meterFactory.Create(CallTelemetry.MeterName).CreateObservableGauge("bridge.media_streams.pending", () => Count,
            description: "Media stream WebSockets waiting for a valid start and stream token (they hold no call slot).");
    }

    public int MaxPerAddress => _options.MaxPerAddress;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>A place for a socket from <paramref name="address"/>, or null when that address already holds its share.</summary>
    public PendingStream? TryEnter(string address)
    {
        PendingStream? evicted = null;
        PendingStream entered;
        lock (_gate)
        {
            var held = _perAddress.GetValueOrDefault(address);
            if (held >= _options.MaxPerAddress)
            {
                return null;
            }
            if (_waiting.Count >= _options.MaxTotal)
            {
                evicted = _waiting.First!.Value;
                RemoveLocked(evicted);
            }
            entered = new PendingStream(this, address);
            entered.Node = _waiting.AddLast(entered);
            _perAddress[address] = held + 1;
        }
        // Outside the lock: the evicted socket's waiter runs its cancellation callbacks.
        evicted?.Evict();
        return entered;
    }

    internal void Leave(PendingStream stream)
    {
        lock (_gate)
        {
            if (stream.Node is not null)
            {
                RemoveLocked(stream);
            }
        }
    }

    private void RemoveLocked(PendingStream stream)
    {
        _waiting.Remove(stream.Node!);
        stream.Node = null;
        var held = _perAddress[stream.Address] - 1;
        if (held == 0)
        {
            _perAddress.Remove(stream.Address);
        }
        else
        {
            _perAddress[stream.Address] = held;
        }
    }
}

/// <summary>One socket's place in <see cref="PendingStreams"/>; disposing it (start verified, or the socket gone) frees the place.</summary>
public sealed class PendingStream : IDisposable
{
    private readonly PendingStreams _pool;
    private readonly CancellationTokenSource _evicted = new();

    internal PendingStream(PendingStreams pool, string address)
    {
        _pool = pool;
        Address = address;
    }

    public string Address { get; }

    /// <summary>Cancelled when a newer socket took this one's place in a full pool.</summary>
    public CancellationToken Evicted => _evicted.Token;

    internal LinkedListNode<PendingStream>? Node { get; set; }

    internal void Evict() => _evicted.Cancel();

    // The token source has no timer to release; left undisposed, an eviction racing the owner's dispose is harmless.
    public void Dispose() => _pool.Leave(this);
}
