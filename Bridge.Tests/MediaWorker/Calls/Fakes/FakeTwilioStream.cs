using System.Net.WebSockets;
using System.Threading.Channels;
using Bridge.TwilioMedia;

namespace Bridge.Tests.MediaWorker.Calls.Fakes;

/// <summary>
/// Twilio's side of a media stream, in memory and on the test's clock: every 20 ms of that clock it sends the next
/// caller frame (silence when the script is out) and plays 20 ms of what it was sent, echoing each mark once the audio
/// before it has played; <c>clear</c> drops its buffer and echoes every pending mark at once, as Twilio does. What the
/// caller heard is kept by the Twilio layer's own <see cref="PlaybackTracker"/>. No WebSocket, no wall clock.
/// </summary>
internal sealed class FakeTwilioStream : ITwilioMediaStream, IDisposable
{
    public const int FrameBytes = 160;
    private const byte MuLawSilence = 0xFF;

    private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>();
    private readonly Lock _lock = new();
    private readonly PlaybackTracker _tracker = new();
    private readonly Queue<(int Bytes, PlaybackMark Mark)> _buffer = new();
    private readonly Queue<byte> _callerScript = new();
    private readonly ITimer _clock;
    private readonly TimeProvider _time;
    private int _handling;
    private bool _dropped;
    private long _ticks;

    public FakeTwilioStream(TimeProvider time)
    {
        _time = time;
        InboundTiming = new InboundTimingMonitor(TimeSpan.FromMilliseconds(60), time);
        _clock = time.CreateTimer(_ => Tick(), null, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20));
    }

    public InboundTimingMonitor InboundTiming { get; }

    public PlaybackPosition Playback
    {
        get
        {
            lock (_lock)
            {
                return new PlaybackPosition(_tracker.SentBytes, _tracker.HeardBytes, _tracker.FlushedBytes);
            }
        }
    }

    /// <summary>The µ-law bytes sent to the caller, in all.</summary>
    public long SentBytes => Playback.SentBytes;

    /// <summary>How much the caller has heard.</summary>
    public TimeSpan Heard => TimeSpan.FromMilliseconds(Playback.HeardBytes / 8.0);

    public int Clears { get; private set; }

    /// <summary>Media messages sent (each followed by a mark), and the largest.</summary>
    public int AudioMessages { get; private set; }

    public int LargestAudioMessageBytes { get; private set; }

    /// <summary>The most audio sent ahead of what had played, in all the call.</summary>
    public long MostLeadBytes { get; private set; }

    public (WebSocketCloseStatus Status, string Reason)? Closed { get; private set; }

    /// <summary>Nothing waits to be handed to the call, and the call is not in the middle of a frame.</summary>
    public bool IsIdle => _inbound.Reader.Count == 0 && Volatile.Read(ref _handling) == 0;

    // What the caller does.

    /// <summary>Queues µ-law for the caller to say, a frame every 20 ms of the clock, after what was queued before.</summary>
    public void CallerSays(byte[] mulaw)
    {
        lock (_lock)
        {
            foreach (var b in mulaw)
            {
                _callerScript.Enqueue(b);
            }
        }
    }

    public void PressesKey(char digit) => _inbound.Writer.TryWrite(new Inbound(InboundKind.Dtmf, Digit: digit));

    /// <summary>The caller hangs up: Twilio sends <c>stop</c>.</summary>
    public void HangsUp() => _inbound.Writer.TryWrite(new Inbound(InboundKind.Stop));

    /// <summary>
    /// The connection drops: every send fails from now on, and the receive side fails at the next frame due (after
    /// the sends that found it broken first).
    /// </summary>
    public void ConnectionDrops()
    {
        lock (_lock)
        {
            _dropped = true;
        }
    }

    /// <summary>Sends that failed on the dropped connection.</summary>
    public int FailedSends { get; private set; }

    /// <summary>Twilio sends something the stream cannot accept.</summary>
    public void SendsMalformed(WebSocketCloseStatus status, string reason) =>
        _inbound.Writer.TryWrite(new Inbound(InboundKind.Malformed, Status: status, Reason: reason));

    // ITwilioMediaStream

    public async Task<bool> RunAsync(ITwilioStreamListener listener, CancellationToken cancellationToken)
    {
        byte[] frame = new byte[FrameBytes];
        while (await _inbound.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_inbound.Reader.TryPeek(out var item))
            {
                Interlocked.Increment(ref _handling);
                _inbound.Reader.TryRead(out _);
                try
                {
                    switch (item.Kind)
                    {
                        case InboundKind.Media:
                            item.Audio!.CopyTo(frame, 0);
                            listener.OnCallerAudio(frame, InboundTiming.Observe(item.Timestamp));
                            break;
                        case InboundKind.Dtmf:
                            listener.OnDtmf(item.Digit);
                            break;
                        case InboundKind.Mark:
                            PlaybackPosition position;
                            bool advanced;
                            lock (_lock)
                            {
                                advanced = _tracker.MarkEchoed(item.Mark);
                                position = new PlaybackPosition(_tracker.SentBytes, _tracker.HeardBytes, _tracker.FlushedBytes);
                            }
                            listener.OnPlayback(position, advanced);
                            break;
                        case InboundKind.Stop:
                            return true;
                        case InboundKind.Close:
                            return false;
                        case InboundKind.Malformed:
                            throw new TwilioStreamClosedException(item.Status, item.Reason!);
                        case InboundKind.Dropped:
                            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _handling);
                }
            }
        }
        return false;
    }

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_dropped)
            {
                FailedSends++;
                return ValueTask.FromException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));
            }
            var mark = _tracker.AudioSent(mulaw.Length);
            _buffer.Enqueue((mulaw.Length, mark));
            AudioMessages++;
            LargestAudioMessageBytes = Math.Max(LargestAudioMessageBytes, mulaw.Length);
            MostLeadBytes = Math.Max(MostLeadBytes, _tracker.LeadBytes);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask SendClearAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _tracker.Cleared();
            Clears++;
            while (_buffer.TryDequeue(out var pending))
            {
                _inbound.Writer.TryWrite(new Inbound(InboundKind.Mark, Mark: pending.Mark));
            }
            _playedOfHead = 0;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Twilio answers a close with its own: the receive loop ends.</summary>
    public Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Closed ??= (status, reason);
        }
        _inbound.Writer.TryWrite(new Inbound(InboundKind.Close));
        return Task.CompletedTask;
    }

    public void Dispose() => _clock.Dispose();

    private int _playedOfHead;

    private void Tick()
    {
        lock (_lock)
        {
            _ticks++;
            var frame = new byte[FrameBytes];
            for (var i = 0; i < FrameBytes; i++)
            {
                frame[i] = _callerScript.TryDequeue(out var b) ? b : MuLawSilence;
            }
            if (_dropped)
            {
                _inbound.Writer.TryWrite(new Inbound(InboundKind.Dropped));
            }
            else if (Closed is null)
            {
                _inbound.Writer.TryWrite(new Inbound(InboundKind.Media, Audio: frame, Timestamp: (_ticks - 1) * 20));
            }
            // 20 ms of playback: what is buffered plays in order; a mark comes back once its audio has played.
            var toPlay = FrameBytes;
            while (toPlay > 0 && _buffer.TryPeek(out var head))
            {
                var n = Math.Min(toPlay, head.Bytes - _playedOfHead);
                _playedOfHead += n;
                toPlay -= n;
                if (_playedOfHead == head.Bytes)
                {
                    _buffer.Dequeue();
                    _playedOfHead = 0;
                    _inbound.Writer.TryWrite(new Inbound(InboundKind.Mark, Mark: head.Mark));
                }
            }
        }
    }

    private enum InboundKind
    {
        Media,
        Dtmf,
        Mark,
        Stop,
        Close,
        Malformed,
        Dropped,
    }

    private sealed record Inbound(
        InboundKind Kind, byte[]? Audio = null, long Timestamp = 0, char Digit = default, PlaybackMark Mark = default,
        WebSocketCloseStatus Status = default, string? Reason = null);
}
