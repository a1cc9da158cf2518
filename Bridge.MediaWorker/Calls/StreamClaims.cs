using System.Diagnostics.Metrics;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Makes a stream token single-use on this worker: a call SID (which every token binds) opens one media stream while
/// its call is live here, and is remembered after that until its token expires, so neither a second socket at the
/// same time nor a replay after the call ended gets anywhere. Memory is bounded by the token lifetime: an entry is
/// a live call, or a call that started here within the last <c>Bridge:StreamTokenLifetime</c>.
/// </summary>
public sealed class StreamClaims
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _expiries = new();
    private readonly TimeProvider _time;

    public StreamClaims(TimeProvider time, IMeterFactory meterFactory)
    {
        _time = time;
        meterFactory.Create(CallTelemetry.MeterName).CreateObservableGauge("bridge.stream_tokens.remembered", () => Count,
            description: "Call SIDs whose stream token was used on this worker and has not yet expired (or whose call is live).");
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Claims the call's one stream; null when this call SID is live here, or used here and its token not yet expired.
    /// Dispose the claim when the call ends.
    /// </summary>
    public StreamClaim? TryClaim(string callSid, DateTimeOffset tokenExpiresAt)
    {
        lock (_gate)
        {
            ForgetExpiredLocked(_time.GetUtcNow());
            if (_entries.ContainsKey(callSid))
            {
                return null;
            }
            _entries[callSid] = new Entry(tokenExpiresAt) { Live = true };
            _expiries.Enqueue(callSid, tokenExpiresAt);
            return new StreamClaim(this, callSid);
        }
    }

    internal void CallEnded(string callSid)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(callSid, out var entry))
            {
                return;
            }
            entry.Live = false;
            if (entry.ExpiresAt <= _time.GetUtcNow())
            {
                _entries.Remove(callSid);
            }
        }
    }

    private void ForgetExpiredLocked(DateTimeOffset now)
    {
        while (_expiries.TryPeek(out var callSid, out var expiresAt) && expiresAt <= now)
        {
            _expiries.Dequeue();
            // A live call keeps its SID past the token's expiry; it is forgotten when it ends.
            if (_entries.TryGetValue(callSid, out var entry) && !entry.Live && entry.ExpiresAt == expiresAt)
            {
                _entries.Remove(callSid);
            }
        }
    }

    private sealed class Entry(DateTimeOffset expiresAt)
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool Live { get; set; }
    }
}

/// <summary>A call's one stream on this worker; disposing it (the call ended) keeps the SID remembered until its token expires.</summary>
public sealed class StreamClaim(StreamClaims claims, string callSid) : IDisposable
{
    private int _ended;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            claims.CallEnded(callSid);
        }
    }
}
