using Bridge.TwilioStandIn.Media;

namespace Bridge.CallSimulator.Load;

/// <summary>
/// Matches the audio a loopback sends back to the <see cref="TaggedCallerAudio"/> frames the call sent, by
/// content: it scans the returned byte stream for frame headers (so re-chunking does not matter) and records,
/// per frame, the time from sending it to receiving its header back. One per call.
/// </summary>
public sealed class LoopbackFrameMatcher(TimeProvider time, LatencyHistogram latencies, TimeSpan lateAfter) : IMediaStreamObserver
{
    private readonly Lock _gate = new();
    private long[] _sentAt = new long[4096];
    private bool[] _returned = new bool[4096];
    private long _sent;
    private int _state;
    private long _index;
    private long _lastReturned = -1;

    public long Returned { get; private set; }

    public long Late { get; private set; }

    public long Duplicates { get; private set; }

    public long OutOfOrder { get; private set; }

    /// <summary>Headers naming a frame that was never sent (corruption, or audio that was not ours).</summary>
    public long Unknown { get; private set; }

    /// <summary>When the last frame was sent (a timestamp), or 0.</summary>
    public long LastSentAt
    {
        get
        {
            lock (_gate)
            {
                return _sent == 0 ? 0 : _sentAt[_sent - 1];
            }
        }
    }

    /// <summary>
    /// When the latest-sent frame that came back was sent (a timestamp), or 0: the loopback returns audio in order, so
    /// a frame sent before it that has not come back is lost, not late.
    /// </summary>
    public long LatestReturnedSentAt
    {
        get
        {
            lock (_gate)
            {
                return _lastReturned < 0 ? 0 : _sentAt[_lastReturned];
            }
        }
    }

    public long Sent
    {
        get
        {
            lock (_gate)
            {
                return _sent;
            }
        }
    }

    public void CallerFrameSent(long chunk, long timestamp)
    {
        lock (_gate)
        {
            var index = chunk - 1;
            if (index >= _sentAt.Length)
            {
                Array.Resize(ref _sentAt, _sentAt.Length * 2);
                Array.Resize(ref _returned, _returned.Length * 2);
            }
            _sentAt[index] = timestamp;
            _sent = Math.Max(_sent, chunk);
        }
    }

    public void ServerMessageHandled(ServerMessageKind kind, ReadOnlySpan<byte> payload, long timestamp)
    {
        if (kind != ServerMessageKind.Media)
        {
            return;
        }
        lock (_gate)
        {
            foreach (var value in payload)
            {
                Scan(value, timestamp);
            }
        }
    }

    /// <summary>Frames sent at or before <paramref name="cutoff"/> (a timestamp) that never came back.</summary>
    public long LostBefore(long cutoff)
    {
        lock (_gate)
        {
            long lost = 0;
            for (var i = 0; i < _sent; i++)
            {
                if (!_returned[i] && _sentAt[i] <= cutoff)
                {
                    lost++;
                }
            }
            return lost;
        }
    }

    /// <summary>Frames sent at or before <paramref name="cutoff"/>: those that had time to come back.</summary>
    public long SentBefore(long cutoff)
    {
        lock (_gate)
        {
            long count = 0;
            for (var i = 0; i < _sent; i++)
            {
                if (_sentAt[i] <= cutoff)
                {
                    count++;
                }
            }
            return count;
        }
    }

    private void Scan(byte value, long timestamp)
    {
        switch (_state)
        {
            case 0:
                _state = value == TaggedCallerAudio.SyncFirst ? 1 : 0;
                return;
            case 1:
                _state = value == TaggedCallerAudio.SyncSecond ? 2 : value == TaggedCallerAudio.SyncFirst ? 1 : 0;
                _index = 0;
                return;
            default:
                if (!TaggedCallerAudio.IsDigit(value))
                {
                    _state = value == TaggedCallerAudio.SyncFirst ? 1 : 0;
                    return;
                }
                _index = (_index << 6) | (uint)TaggedCallerAudio.DigitValue(value);
                if (++_state == TaggedCallerAudio.HeaderBytes)
                {
                    _state = 0;
                    FrameReturned(_index, timestamp);
                }
                return;
        }
    }

    private void FrameReturned(long index, long timestamp)
    {
        if (index >= _sent)
        {
            Unknown++;
            return;
        }
        if (_returned[index])
        {
            Duplicates++;
            return;
        }
        _returned[index] = true;
        Returned++;
        if (index < _lastReturned)
        {
            OutOfOrder++;
        }
        _lastReturned = Math.Max(_lastReturned, index);

        var latency = time.GetElapsedTime(_sentAt[index], timestamp);
        latencies.Add(latency);
        if (latency > lateAfter)
        {
            Late++;
        }
    }
}
