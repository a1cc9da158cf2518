using Bridge.Audio;
using Bridge.Buffers;
using Bridge.NovaSonic;
using Bridge.TwilioMedia;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// The model's speech on its way to the caller: framed as 8 kHz µ-law, queued (at most <c>Calls:MaxQueuedAudio</c>),
/// and sent no further ahead of what the caller has heard than <c>Calls:PlaybackLead</c>, in media messages of up to
/// a third of the lead (40–100 ms) each followed by a mark; a barge-in drops the queue and clears Twilio's buffer.
/// Positions count µ-law bytes since the call started in the queue's terms (bytes queued), so that what the caller
/// heard can be set against what the model said: every byte queued is sent, or dropped by a clear. Knows which audio
/// came from a model stream that no longer hears the caller (stale audio, after a stream switch). Thread-safe: its
/// state is under one lock, sends and clears take turns.
/// </summary>
internal sealed class Playout : IDisposable
{
    private const int FrameBytes = TwilioMediaStream.FrameBytes;
    private const int MinFramesPerMessage = 2;
    private const int MaxFramesPerMessage = 5;

    private readonly ITwilioMediaStream _stream;
    private readonly Func<bool> _modelSpeaking;
    private readonly Action<bool> _playing;
    private readonly CallTelemetry _telemetry;
    private readonly CallSummary _summary;
    private readonly TimeProvider _time;
    private readonly int _leadBytes;
    private readonly Lock _gate = new();
    private readonly SendTurns _sendTurns;
    private readonly SemaphoreSlim _room = new(0);
    private readonly PooledByteQueue _queue;
    private readonly OutboundFramer _framer;
    private readonly PlaybackUnderrunMonitor _underruns;
    private readonly OutboundArrivals _arrivals = new();
    private readonly byte[] _sendBuffer;
    // Grown to the largest model event framed: µ-law at 8 kHz is a few hundred bytes an event, kept by every call.
    private byte[] _framed = [];

    private long _queuedPosition;
    private long _dequeuedPosition;
    private long _droppedBytes;
    private long _staleAudioEnd;
    private long _queuedAtLastClear = -1;
    private int _modelGeneration;
    private bool _isPlaying;

    /// <param name="modelSpeaking">Whether the model is still speaking (audio owed to the caller, for underruns).</param>
    /// <param name="playing">Told when the caller starts and stops hearing model audio.</param>
    public Playout(ITwilioMediaStream stream, AudioOptions audio, CallOptions options, int modelGeneration, Func<bool> modelSpeaking,
        Action<bool> playing, CallTelemetry telemetry, CallSummary summary, TimeProvider time)
    {
        _stream = stream;
        _modelSpeaking = modelSpeaking;
        _playing = playing;
        _telemetry = telemetry;
        _summary = summary;
        _time = time;
        _modelGeneration = modelGeneration;
        _framer = new OutboundFramer(audio);
        // In one-second segments of µ-law.
        _queue = new PooledByteQueue((int)(options.MaxQueuedAudio.TotalMilliseconds * PlaybackPosition.BytesPerMillisecond), TelephoneFrame.SampleRate);
        _leadBytes = (int)(options.PlaybackLead.TotalMilliseconds * PlaybackPosition.BytesPerMillisecond) / FrameBytes * FrameBytes;
        _sendBuffer = new byte[MessageBytes(_leadBytes)];
        _underruns = new PlaybackUnderrunMonitor(time);
        _sendTurns = new SendTurns(SendWhilePlaybackAllowsAsync);
    }

    /// <summary>Bytes the queue holds at most.</summary>
    public int CapacityBytes => _queue.CapacityBytes;

    /// <summary>Nothing queued and nothing left at Twilio: the caller has heard everything sent.</summary>
    public bool IsDrained
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count == 0 && _stream.Playback.LeadBytes == 0;
            }
        }
    }

    /// <summary>Bytes queued since the call started (where the next model audio will begin).</summary>
    public long QueuedPosition
    {
        get
        {
            lock (_gate)
            {
                return _queuedPosition;
            }
        }
    }

    public int Underruns => _underruns.Underruns;

    /// <summary>Nothing to send now and no send under way (for tests on fake time: the call has caught up with the clock).</summary>
    internal bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _sendTurns.AreIdle && SendableBytes() == 0;
            }
        }
    }

    public TimeSpan UnderrunTime => _underruns.Total;

    /// <summary>
    /// The most audio sent in one media message and its mark: a third of the lead, so that Twilio still holds two
    /// thirds of it when a mark's echo lets the next message go, within 2–5 frames (40–100 ms). Each message costs a
    /// write, a flush and a mark echo, so fewer larger ones cost less CPU per call-second; what the caller heard is
    /// known to one message's length (a barge-in's cut and the transcript's heard text are that precise).
    /// </summary>
    internal static int MessageBytes(int leadBytes) =>
        Math.Clamp(leadBytes / 3 / FrameBytes, MinFramesPerMessage, MaxFramesPerMessage) * FrameBytes;

    /// <summary>
    /// Frames model speech as µ-law (valid until the next call); notes whether it came from a replaced stream, and when
    /// it arrived if it is to leave at once (the bridge's own delay is then measured).
    /// </summary>
    public ReadOnlyMemory<byte> Frame(NovaAudioOutput audio, long arrivedAt)
    {
        lock (_gate)
        {
            var samples = audio.Samples;
            var needed = _framer.GetMaxOutputLength(samples.Length);
            if (_framed.Length < needed)
            {
                _framed = new byte[needed];
            }
            var length = _framer.Write(samples, _framed);
            if (audio.Generation < _modelGeneration)
            {
                // A replaced stream's last words, read after the switch.
                _staleAudioEnd = _queuedPosition + length;
            }
            if (_queue.Count == 0 && _stream.Playback.LeadBytes < _leadBytes)
            {
                _arrivals.Arrived(_queuedPosition, arrivedAt);
            }
            return _framed.AsMemory(0, length);
        }
    }

    /// <summary>The model's turn ended: what the framer holds back of a last partial frame (valid until the next call).</summary>
    public ReadOnlyMemory<byte> FlushTurn()
    {
        lock (_gate)
        {
            return _framed.AsMemory(0, _framer.Flush(_framed));
        }
    }

    /// <summary>Queues as much of <paramref name="frames"/> as fits; returns how much did. <see cref="SendQueuedAsync"/> sends it.</summary>
    public int Enqueue(ReadOnlySpan<byte> frames)
    {
        lock (_gate)
        {
            var accepted = _queue.Enqueue(frames);
            _queuedPosition += accepted;
            var queued = (double)_queue.Count / PlaybackPosition.BytesPerMillisecond;
            _summary.MaxQueuedMilliseconds = Math.Max(_summary.MaxQueuedMilliseconds, queued);
            _telemetry.QueueDepth(TimeSpan.FromMilliseconds(queued));
            return accepted;
        }
    }

    /// <summary>
    /// Sends what playback allows of the queue on the caller's own thread, unless a send is under way (see
    /// <see cref="SendTurns"/>). The model pump calls it after queueing, and a mark echo when it made room.
    /// </summary>
    public Task SendQueuedAsync(CancellationToken cancellationToken) => _sendTurns.SendHereOrWakeSenderAsync(cancellationToken);

    /// <summary>Completes when playback has made room in the queue (or dropped it).</summary>
    public Task RoomMadeAsync(CancellationToken cancellationToken) => _room.WaitAsync(cancellationToken);

    /// <summary>
    /// Sends what playback allows whenever a send could not be made where it became possible, until cancelled.
    /// Started before anything else of the call: mark echoes send with its token.
    /// </summary>
    public Task RunSenderAsync(CancellationToken cancellationToken) => _sendTurns.RunSenderAsync(cancellationToken);

    /// <summary>
    /// Twilio echoed a mark: playback ran dry (an underrun if audio is still owed), or it finished; what it made room
    /// for is sent at once, on the receive loop's thread (see <see cref="SendQueuedAsync"/>).
    /// </summary>
    public void OnPlayback(PlaybackPosition playback, bool advanced)
    {
        var modelSpeaking = _modelSpeaking();
        bool finished;
        bool sendable;
        lock (_gate)
        {
            if (advanced && playback.LeadBytes == 0)
            {
                _underruns.PlaybackRanDry(audioPending: _queue.Count > 0 || modelSpeaking);
            }
            finished = _isPlaying && _queue.Count == 0 && playback.LeadBytes == 0;
            _isPlaying &= !finished;
            sendable = SendableBytes() > 0;
        }
        if (finished)
        {
            _playing(false);
        }
        if (sendable)
        {
            // Not awaited: the receive loop goes on once the send has to wait (it rarely does), and the send holds
            // the send turn until it ends. Its failures are handled inside.
            _ = SendQueuedAsync(_sendTurns.CallEnding);
        }
    }

    /// <summary>
    /// The caller spoke over the model: drops every queued byte, the framer's remainder and Twilio's buffer. Returns
    /// where the model's speech and the caller's hearing stood just before, or null when <paramref name="onlyStale"/>
    /// and no stale audio is playing by now (a local barge-in that came too late).
    /// </summary>
    public async Task<PlayoutCut?> ClearAsync(bool onlyStale, bool handingOff, CancellationToken cancellationToken)
    {
        await _sendTurns.TakeAsync(cancellationToken).ConfigureAwait(false);
        PlayoutCut cut;
        try
        {
            lock (_gate)
            {
                var playback = _stream.Playback;
                if (onlyStale && !IsPlayingStaleAudio(playback, handingOff))
                {
                    return null;
                }
                cut = new PlayoutCut(_queuedPosition, HeardPosition(playback), NothingSinceLastClear: _queuedPosition == _queuedAtLastClear);
                _queuedAtLastClear = _queuedPosition;
                var dropped = _queue.Clear();
                _droppedBytes += dropped;
                _dequeuedPosition += dropped;
                _framer.Discard();
                _arrivals.Clear();
                _underruns.NothingPending();
                _isPlaying = false;
            }
            await _stream.SendClearAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendTurns.Release();
        }
        SignalRoom();
        _playing(false);
        return cut;
    }

    /// <summary>The conversation moved to stream <paramref name="generation"/>: everything queued so far is stale.</summary>
    public void StreamRenewed(int generation)
    {
        lock (_gate)
        {
            _modelGeneration = generation;
            _staleAudioEnd = _queuedPosition;
        }
        NothingPendingUnlessQueued();
    }

    /// <summary>
    /// Whether the caller is hearing (or is about to hear) audio that no model stream listening now produced: audio
    /// queued before the last stream switch or from a replaced stream, or anything while the session switches
    /// streams (the caller's audio is then held for the next stream, and the old one no longer hears it).
    /// </summary>
    public bool IsPlayingStaleAudio(bool handingOff)
    {
        lock (_gate)
        {
            return IsPlayingStaleAudio(_stream.Playback, handingOff);
        }
    }

    /// <summary>A dry spell in playback with nothing queued was the end of what the model had to say, not an underrun.</summary>
    public void NothingPendingUnlessQueued()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _underruns.NothingPending();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _queue.Dispose();
        }
        _sendTurns.Dispose();
    }

    private bool IsPlayingStaleAudio(PlaybackPosition playback, bool handingOff)
    {
        var pending = _queue.Count > 0 || playback.LeadBytes > 0;
        return pending && (handingOff || HeardPosition(playback) < _staleAudioEnd);
    }

    /// <summary>
    /// What may be sent now, in whole frames: as much as is queued, at most a message, no further ahead than the lead.
    /// A piece shorter than a message leaves at once rather than waiting for more to fill one: while Twilio holds
    /// enough that the caller would not hear the wait, the load test's round trip still rose from 6 to 41 ms at p50
    /// for 16 % fewer messages (docs/benchmarks.md, round 4), and a late mark echo would eat into the margin. Under
    /// the lock.
    /// </summary>
    private int SendableBytes()
    {
        var room = _leadBytes - (int)_stream.Playback.LeadBytes;
        return Math.Max(Math.Min(Math.Min(room, _sendBuffer.Length), _queue.Count) / FrameBytes * FrameBytes, 0);
    }

    /// <summary>How far, in queued bytes, the caller has heard: every byte heard or flushed by Twilio, and those dropped from the queue by clears.</summary>
    private long HeardPosition(PlaybackPosition playback) => playback.HeardBytes + playback.FlushedBytes + _droppedBytes;

    /// <summary>Sends message after message while playback allows; the caller holds a send turn.</summary>
    private async Task SendWhilePlaybackAllowsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int length;
            long oldestArrival;
            bool startedPlaying;
            TimeSpan? underrun;
            lock (_gate)
            {
                length = SendableBytes();
                if (length <= 0)
                {
                    return;
                }
                _queue.Dequeue(_sendBuffer.AsSpan(0, length));
                _dequeuedPosition += length;
                startedPlaying = !_isPlaying;
                _isPlaying = true;
                underrun = _underruns.AudioSent();
                oldestArrival = _arrivals.TakeSentBefore(_dequeuedPosition);
            }
            // Counted as sent by the stream before the task returns: playback's lead includes it from here on.
            var sending = _stream.SendAudioAsync(_sendBuffer.AsMemory(0, length), cancellationToken);
            SignalRoom();
            if (startedPlaying)
            {
                _playing(true);
            }
            await sending.ConfigureAwait(false);
            if (oldestArrival != 0)
            {
                _telemetry.OutboundLatency(_time.GetElapsedTime(oldestArrival));
            }
            if (underrun is { } hole)
            {
                _telemetry.Underrun(hole);
            }
            _summary.FramesOut += length / FrameBytes;
            _telemetry.FramesOut(length / FrameBytes);
        }
    }

    /// <summary>
    /// Playback made room (or dropped the queue): wakes a wait for room. At most one signal is kept, since the waiter
    /// looks at the queue again; otherwise every frame sent would bank one, and the next time the queue is full the
    /// waiter would spin through them.
    /// </summary>
    public void SignalRoom()
    {
        if (_room.CurrentCount == 0)
        {
            _room.Release();
        }
    }
}
