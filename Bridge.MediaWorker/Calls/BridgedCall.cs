using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Bridge.Audio;
using Bridge.MediaWorker.Buffers;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.MediaWorker.Nova;
using Bridge.MediaWorker.Twilio;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// One live call: the caller's audio (Twilio µ-law) to the model as PCM chunks; the model's speech back as µ-law
/// 20 ms frames, sent no further ahead of playback than <c>Calls:PlaybackLead</c>, the rest waiting in a bounded
/// queue; barge-in drops the queue and clears Twilio's buffer; DTMF reaches the model as text; tools act on the
/// call. Ends cleanly from either side: the caller hanging up, a tool, the drain deadline, a model failure, or one
/// of the <see cref="CallLimits"/> that bound its cost.
/// <para>
/// After the session switches model streams, the audio still playing came from a stream that no longer hears the
/// caller, so no model would signal a barge-in over it: the call does it itself when the caller starts talking
/// over such stale audio (a local barge-in).
/// </para>
/// </summary>
public sealed partial class BridgedCall : ITwilioStreamListener
{
    private const int FrameBytes = TwilioMediaStream.FrameBytes;
    private const int FramesPerMessage = 2;
    private const string ModelBargeIn = "model";
    private const string LocalBargeIn = "local";
    private static readonly TimeSpan CloseModelTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan EndAfterPlaybackTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan QuietBeforeEnding = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan GoodbyeOnShutdownTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StreamEndAfterTool = TimeSpan.FromSeconds(3);

    private readonly TwilioMediaStream _stream;
    private readonly TwilioStartInfo _start;
    private readonly INovaConversation _session;
    private readonly IReadOnlyDictionary<string, ICallTool> _tools;
    private readonly CallOptions _options;
    private readonly CallLimits _limits;
    private readonly CallTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private readonly InboundChunker _chunker;
    private readonly short[] _chunks;
    private readonly OutboundFramer _framer;
    private byte[] _framed = new byte[4 * 1024];
    private readonly PooledByteQueue _queue;
    private readonly PlaybackTracker _tracker = new();
    private readonly byte[] _sendBuffer = new byte[FramesPerMessage * FrameBytes];
    private readonly int _leadBytes;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _sendTurn = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _space = new(0);
    private readonly Queue<(long Position, long ArrivedAt)> _arrivals = new();
    private readonly List<Task> _background = [];
    private readonly Queue<NovaOutputEvent> _readAhead = new();
    private readonly CallSummary _summary = new();
    private readonly PlaybackUnderrunMonitor _underruns;
    private readonly SemaphoreSlim _callerTalksOverStaleAudio = new(0);
    private readonly long _startedAt;

    private long _queuedPosition;
    private long _sentPosition;
    private string _plannedText = "";
    private long _plannedStart;
    private int _modelGeneration;
    private long _staleAudioEnd;
    private long _lastModelAudioAt;
    private long _tokenBase;
    private long _lastTotalTokens;
    private Func<CancellationToken, Task>? _endAfterPlayback;
    private bool _playing;
    private bool _goodbyeDeadlinePassed;

    public BridgedCall(
        TwilioMediaStream stream,
        TwilioStartInfo start,
        INovaConversation session,
        IEnumerable<ICallTool> tools,
        AudioOptions audio,
        CallOptions options,
        CallLimits limits,
        CallTelemetry telemetry,
        TimeProvider time,
        ILogger logger)
    {
        _stream = stream;
        _start = start;
        _session = session;
        _tools = tools.ToDictionary(t => t.Definition.Name, StringComparer.Ordinal);
        _options = options;
        _limits = limits;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _chunker = new InboundChunker(audio);
        _chunks = new short[_chunker.GetMaxOutputLength(4 * FrameBytes)];
        _framer = new OutboundFramer(audio);
        // In one-second segments of µ-law.
        _queue = new PooledByteQueue((int)(options.MaxQueuedAudio.TotalMilliseconds * PlaybackTracker.BytesPerMillisecond), TelephoneFrame.SampleRate);
        _leadBytes = (int)(options.PlaybackLead.TotalMilliseconds * PlaybackTracker.BytesPerMillisecond) / FrameBytes * FrameBytes;
        _underruns = new PlaybackUnderrunMonitor(time);
        _modelGeneration = session.Generation;
        _startedAt = time.GetTimestamp();
    }

    /// <summary>Runs the call until it ends; returns why it ended. Never throws for anything the call's peers do.</summary>
    public async Task<string> RunAsync(CancellationToken endCallsRequested, CancellationToken aborted)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var receive = _stream.RunAsync(this, lifetime.Token);
        var modelOutput = PumpModelOutputAsync(lifetime.Token);
        var sender = SendLoopAsync(lifetime.Token);
        var localBargeIns = LocalBargeInLoopAsync(lifetime.Token);
        var limit = _limits.WatchAsync(SayGoodbyeAtMaxDuration, lifetime.Token);
        using var drainRegistration = endCallsRequested.Register(() => SayGoodbyeOnShutdown(lifetime));

        string reason;
        var first = await Task.WhenAny(receive, modelOutput, limit).ConfigureAwait(false);
        if (first == limit && !limit.IsCompletedSuccessfully)
        {
            // The watch was cancelled with the call (the connection aborted): the receive loop or the model ends it.
            first = await Task.WhenAny(receive, modelOutput).ConfigureAwait(false);
        }
        if (first == receive)
        {
            reason = await CallerEndedAsync(receive).ConfigureAwait(false);
            await CloseModelAsync().ConfigureAwait(false);
        }
        else
        {
            reason = first == modelOutput
                ? await ModelEndedAsync(modelOutput).ConfigureAwait(false)
                : await LimitReachedAsync(limit).ConfigureAwait(false);
            await CloseModelAsync().ConfigureAwait(false);
            await AwaitCallerCloseAsync(receive).ConfigureAwait(false);
        }

        await lifetime.CancelAsync().ConfigureAwait(false);
        await Settle([receive, modelOutput, sender, localBargeIns, limit, .. _background]).ConfigureAwait(false);
        Finish(reason);
        return reason;
    }

    void ITwilioStreamListener.OnCallerAudio(ReadOnlySpan<byte> mulaw, InboundFrameTiming timing)
    {
        var receivedAt = _time.GetTimestamp();
        if (!_limits.AcceptCallerAudio(mulaw.Length, receivedAt))
        {
            return;
        }
        _summary.FramesIn++;
        _telemetry.FrameIn();
        _telemetry.InboundFrame(timing, _stream.InboundTiming.JitterMilliseconds);
        var samples = _chunker.Write(mulaw, _chunks);
        for (var offset = 0; offset < samples; offset += _chunker.ChunkSamples)
        {
            var chunk = _chunks.AsSpan(offset, _chunker.ChunkSamples);
            if (_session.SendAudio(chunk).HasFlag(VoiceActivity.Onset) && IsPlayingStaleAudio(_session.IsHandingOff))
            {
                _callerTalksOverStaleAudio.Release();
            }
        }
        if (samples > 0)
        {
            _telemetry.InboundLatency(_time.GetElapsedTime(receivedAt));
        }
    }

    void ITwilioStreamListener.OnDtmf(char digit)
    {
        LogDtmf(digit);
        _session.SendText($"The caller pressed {digit} on the phone's keypad.");
    }

    void ITwilioStreamListener.OnMark(PlaybackMark? mark)
    {
        if (mark is not { } ours)
        {
            return;
        }
        bool finished;
        var modelSpeaking = _session.IsModelSpeaking;
        lock (_gate)
        {
            if (_tracker.MarkEchoed(ours) && _tracker.LeadBytes == 0)
            {
                _underruns.PlaybackRanDry(audioPending: _queue.Count > 0 || modelSpeaking);
            }
            finished = _playing && _queue.Count == 0 && _tracker.LeadBytes == 0;
            _playing &= !finished;
        }
        if (finished)
        {
            _session.ReportOutputPlaying(false);
        }
        _wake.Release();
    }

    private async Task PumpModelOutputAsync(CancellationToken cancellationToken)
    {
        while (await NextModelOutputAsync(cancellationToken).ConfigureAwait(false) is { } output)
        {
            switch (output)
            {
                case NovaAudioOutput audio:
                    await QueueModelAudioAsync(audio, cancellationToken).ConfigureAwait(false);
                    break;
                case NovaBargeIn:
                    await BargeInAsync(ModelBargeIn, cancellationToken).ConfigureAwait(false);
                    break;
                case NovaTranscript transcript:
                    OnTranscript(transcript);
                    break;
                case NovaToolUse toolUse:
                    lock (_background)
                    {
                        _background.Add(RunToolAsync(toolUse, cancellationToken));
                    }
                    break;
                case NovaTurnEnd:
                    // Before the framer's last partial frame is queued: that remainder is no sign that more was coming.
                    NothingPendingUnlessQueued();
                    await FlushTurnAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case NovaUsage usage:
                    OnUsage(usage);
                    break;
                case NovaStreamRenewed renewed:
                    lock (_gate)
                    {
                        // Everything queued so far came from streams that will not hear the caller talk over it.
                        _modelGeneration = renewed.Generation;
                        _staleAudioEnd = _queuedPosition;
                    }
                    NothingPendingUnlessQueued();
                    _summary.Renewals++;
                    _telemetry.Renewed(renewed.Reason.ToString());
                    LogRenewed(renewed.Generation, renewed.Reason, renewed.BufferedSamples);
                    break;
            }
        }
    }

    private async Task QueueModelAudioAsync(NovaAudioOutput audio, CancellationToken cancellationToken)
    {
        var arrivedAt = _time.GetTimestamp();
        var lastSpeech = _session.LastCallerSpeechAt;
        if (lastSpeech > Volatile.Read(ref _lastModelAudioAt))
        {
            // The first model audio since the caller last spoke: how long the caller waited for an answer.
            _telemetry.ResponseLatency(_time.GetElapsedTime(lastSpeech, arrivedAt));
        }
        Volatile.Write(ref _lastModelAudioAt, arrivedAt);

        int length;
        lock (_gate)
        {
            var samples = audio.Samples;
            var needed = _framer.GetMaxOutputLength(samples.Length);
            if (_framed.Length < needed)
            {
                _framed = new byte[needed];
            }
            length = _framer.Write(samples, _framed);
            if (audio.Generation < _modelGeneration)
            {
                // A replaced stream's last words, read after the switch.
                _staleAudioEnd = _queuedPosition + length;
            }
            if (_queue.Count == 0 && _tracker.LeadBytes < _leadBytes)
            {
                // Playback has room: this audio should leave at once; how long it takes is the bridge's own delay.
                _arrivals.Enqueue((_queuedPosition, arrivedAt));
            }
        }
        await EnqueueAsync(_framed.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
    }

    private async Task FlushTurnAsync(CancellationToken cancellationToken)
    {
        int length;
        lock (_gate)
        {
            length = _framer.Flush(_framed);
        }
        if (length > 0)
        {
            await EnqueueAsync(_framed.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues µ-law frames; when the queue is full, waits for playback to make room (the model is read no faster).</summary>
    private async Task EnqueueAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken)
    {
        while (!frames.IsEmpty)
        {
            int accepted;
            lock (_gate)
            {
                accepted = _queue.Enqueue(frames.Span);
                _queuedPosition += accepted;
                var queued = (double)_queue.Count / PlaybackTracker.BytesPerMillisecond;
                _summary.MaxQueuedMilliseconds = Math.Max(_summary.MaxQueuedMilliseconds, queued);
                _telemetry.QueueDepth(TimeSpan.FromMilliseconds(queued));
            }
            frames = frames[accepted..];
            _wake.Release();
            if (!frames.IsEmpty && !await WaitForRoomAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>The next model event: one read ahead while the queue was full, else the next from the session.</summary>
    private async ValueTask<NovaOutputEvent?> NextModelOutputAsync(CancellationToken cancellationToken)
    {
        if (_readAhead.TryDequeue(out var output))
        {
            return output;
        }
        while (await _session.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_session.Events.TryRead(out output))
            {
                return output;
            }
        }
        return null;
    }

    /// <summary>
    /// Waits for playback to make room in a full queue — while still reading the model's events, so that an
    /// interruption behind more audio is acted on at once, not after that audio has waited its turn. Returns false
    /// when the model signalled a barge-in: the audio being queued, and any read ahead of the signal, is dropped.
    /// </summary>
    private async Task<bool> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var room = _space.WaitAsync(waiting.Token);
            var more = _session.Events.WaitToReadAsync(waiting.Token).AsTask();
            await Task.WhenAny(room, more).ConfigureAwait(false);
            await waiting.CancelAsync().ConfigureAwait(false);
            var gotRoom = await Succeeded(room).ConfigureAwait(false);
            var events = await Succeeded(more).ConfigureAwait(false) && more.Result;
            cancellationToken.ThrowIfCancellationRequested();
            while (events && _session.Events.TryRead(out var output))
            {
                _readAhead.Enqueue(output);
            }
            if (_readAhead.Any(o => o is NovaBargeIn))
            {
                DropAudioReadAheadOfBargeIn();
                if (gotRoom)
                {
                    SignalRoom();
                }
                return false;
            }
            if (gotRoom)
            {
                return true;
            }
            if (more.IsCompletedSuccessfully && !more.Result)
            {
                // The session's events have ended: only playback can make room now.
                await _space.WaitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    /// <summary>
    /// Playback made room (or dropped the queue): wakes a wait for room. At most one signal is kept, since the
    /// waiter looks at the queue again; otherwise every frame sent would bank one, and the next time the queue is
    /// full the waiter would spin through them.
    /// </summary>
    private void SignalRoom()
    {
        if (_space.CurrentCount == 0)
        {
            _space.Release();
        }
    }

    private void DropAudioReadAheadOfBargeIn()
    {
        var kept = new Queue<NovaOutputEvent>(_readAhead.Count);
        var beforeBargeIn = true;
        while (_readAhead.TryDequeue(out var output))
        {
            beforeBargeIn &= output is not NovaBargeIn;
            if (!(beforeBargeIn && output is NovaAudioOutput))
            {
                kept.Enqueue(output);
            }
        }
        while (kept.TryDequeue(out var output))
        {
            _readAhead.Enqueue(output);
        }
    }

    /// <summary>Whether <paramref name="wait"/> finished (rather than being cancelled); a fault is rethrown.</summary>
    private static async Task<bool> Succeeded(Task wait)
    {
        try
        {
            await wait.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            await SendWhatPlaybackAllowsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendWhatPlaybackAllowsAsync(CancellationToken cancellationToken)
    {
        await _sendTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                int length;
                PlaybackMark mark;
                long oldestArrival = 0;
                var startedPlaying = false;
                TimeSpan? underrun;
                lock (_gate)
                {
                    var room = _leadBytes - (int)_tracker.LeadBytes;
                    length = Math.Min(Math.Min(room, _sendBuffer.Length), _queue.Count) / FrameBytes * FrameBytes;
                    if (length <= 0)
                    {
                        return;
                    }
                    _queue.Dequeue(_sendBuffer.AsSpan(0, length));
                    _sentPosition += length;
                    startedPlaying = !_playing;
                    _playing = true;
                    mark = _tracker.AudioSent(length);
                    underrun = _underruns.AudioSent();
                    while (_arrivals.TryPeek(out var arrival) && arrival.Position < _sentPosition)
                    {
                        _arrivals.Dequeue();
                        oldestArrival = oldestArrival == 0 ? arrival.ArrivedAt : oldestArrival;
                    }
                }
                SignalRoom();
                if (startedPlaying)
                {
                    _session.ReportOutputPlaying(true);
                }
                await _stream.SendAudioAsync(_sendBuffer.AsMemory(0, length), mark, cancellationToken).ConfigureAwait(false);
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
        finally
        {
            _sendTurn.Release();
        }
    }

    /// <summary>
    /// The caller spoke over the model: drop every queued sample, flush Twilio's buffer, note what was heard.
    /// <paramref name="source"/> is <see cref="ModelBargeIn"/> (the model's signal) or <see cref="LocalBargeIn"/>
    /// (the caller's speech over stale audio, which goes ahead only if such audio is still playing by now).
    /// </summary>
    private async Task BargeInAsync(string source, CancellationToken cancellationToken)
    {
        var signalledAt = _time.GetTimestamp();
        var handingOff = source == LocalBargeIn && _session.IsHandingOff;
        await _sendTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        string said, heard;
        try
        {
            lock (_gate)
            {
                if (source == LocalBargeIn && !IsPlayingStaleAudioLocked(handingOff))
                {
                    return;
                }
                said = _plannedText;
                heard = HeardPartOfPlannedText();
                _sentPosition += _queue.Clear();
                _framer.Discard();
                _tracker.Cleared();
                _arrivals.Clear();
                _underruns.NothingPending();
                _playing = false;
            }
            await _stream.SendClearAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendTurn.Release();
        }
        SignalRoom();
        _session.ReportOutputPlaying(false);
        _telemetry.Interrupted(_time.GetElapsedTime(signalledAt), source);
        _summary.Interruptions++;
        if (source == LocalBargeIn)
        {
            _summary.LocalInterruptions++;
            LogLocalBargeIn(_modelGeneration);
        }
        _session.AssistantInterrupted(said, heard);
        if (!string.IsNullOrWhiteSpace(heard))
        {
            LogAssistantInterrupted(heard);
        }
    }

    /// <summary>Local barge-ins, one at a time, as the receive loop notices the caller talking over stale audio.</summary>
    private async Task LocalBargeInLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _callerTalksOverStaleAudio.WaitAsync(cancellationToken).ConfigureAwait(false);
            await BargeInAsync(LocalBargeIn, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsPlayingStaleAudio(bool handingOff)
    {
        lock (_gate)
        {
            return IsPlayingStaleAudioLocked(handingOff);
        }
    }

    /// <summary>
    /// Whether the caller is hearing (or is about to hear) audio that no model stream listening now produced: audio
    /// queued before the last stream switch or from a replaced stream, or anything while the session switches
    /// streams (the caller's audio is then held for the next stream, and the old one no longer hears it).
    /// </summary>
    private bool IsPlayingStaleAudioLocked(bool handingOff)
    {
        var pending = _queue.Count > 0 || _tracker.LeadBytes > 0;
        return pending && (handingOff || HeardPosition() < _staleAudioEnd);
    }

    /// <summary>
    /// How far, in queued bytes, the caller has heard: every byte heard or flushed by Twilio, plus those dropped from
    /// the queue by earlier barge-ins (sent position minus bytes actually sent).
    /// </summary>
    private long HeardPosition() => _tracker.HeardBytes + _tracker.FlushedBytes - (_tracker.SentBytes - _sentPosition);

    /// <summary>
    /// The part of the assistant's current utterance the caller heard before interrupting (called before the
    /// queue and Twilio's buffer are cleared). The utterance's audio began at <see cref="_plannedStart"/>.
    /// </summary>
    private string HeardPartOfPlannedText()
    {
        if (_plannedText.Length == 0)
        {
            return "";
        }
        var produced = _queuedPosition - _plannedStart;
        var fraction = produced <= 0 ? 0 : (double)(HeardPosition() - _plannedStart) / produced;
        var heard = SpokenText.HeardPart(_plannedText, fraction);
        _plannedText = "";
        return heard;
    }

    /// <summary>A dry spell in playback with nothing queued was the end of what the model had to say, not an underrun.</summary>
    private void NothingPendingUnlessQueued()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _underruns.NothingPending();
            }
        }
    }

    private void OnTranscript(NovaTranscript transcript)
    {
        switch (transcript)
        {
            case { Role: NovaRole.User }:
                _summary.CallerTurns++;
                LogCallerSaid(transcript.Text);
                break;
            case { Role: NovaRole.Assistant, Stage: NovaGenerationStage.Speculative }:
                lock (_gate)
                {
                    _plannedText = transcript.Text;
                    _plannedStart = _queuedPosition;
                }
                break;
            case { Role: NovaRole.Assistant, Stage: NovaGenerationStage.Final }:
                _summary.AssistantTurns++;
                lock (_gate)
                {
                    // Now in the history; a barge-in before its audio has played cuts it back there.
                    _plannedText = transcript.Text;
                }
                LogAssistantSaid(transcript.Text);
                break;
        }
    }

    private void OnUsage(NovaUsage usage)
    {
        if (usage.TotalTokens < _lastTotalTokens)
        {
            _tokenBase += _lastTotalTokens;
        }
        _lastTotalTokens = usage.TotalTokens;
        _summary.InputTokens = usage.InputTokens;
        _summary.OutputTokens = _tokenBase + usage.TotalTokens - usage.InputTokens;
    }

    private async Task RunToolAsync(NovaToolUse toolUse, CancellationToken cancellationToken)
    {
        if (!_tools.TryGetValue(toolUse.ToolName, out var tool))
        {
            LogUnknownTool(toolUse.ToolName);
            _session.SendToolResult(toolUse.ToolUseId, """{"error":"There is no such tool."}""");
            return;
        }

        LogToolUse(toolUse.ToolName);
        CallToolResult result;
        try
        {
            result = await tool.InvokeAsync(new CallToolContext(_start.CallSid, _start.StreamSid), toolUse.InputJson, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogToolFailed(e, toolUse.ToolName);
            _telemetry.Error("tool");
            _session.SendToolResult(toolUse.ToolUseId, """{"error":"The tool failed. Tell the caller you could not do it."}""");
            return;
        }

        _session.SendToolResult(toolUse.ToolUseId, result.ResultJson);
        if (result.EndCallAfterPlayback is { } endCall)
        {
            Volatile.Write(ref _endAfterPlayback, endCall);
            await EndAfterPlaybackAsync(endCall, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the model has gone quiet and the caller has heard everything, then acts (hang up, transfer).</summary>
    private async Task EndAfterPlaybackAsync(Func<CancellationToken, Task> endCall, CancellationToken cancellationToken)
    {
        var waitingSince = _time.GetTimestamp();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100), _time);
        while (await poll.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            bool done;
            lock (_gate)
            {
                done = _queue.Count == 0 && _tracker.LeadBytes == 0;
            }
            var quiet = _time.GetElapsedTime(Volatile.Read(ref _lastModelAudioAt)) >= QuietBeforeEnding;
            if ((done && quiet) || _time.GetElapsedTime(waitingSince) >= EndAfterPlaybackTimeout)
            {
                break;
            }
        }
        try
        {
            await endCall(cancellationToken).ConfigureAwait(false);
            // Twilio now ends the stream itself (stop, then close); if it does not, the bridge closes its side.
            await Task.Delay(StreamEndAfterTool, _time, cancellationToken).ConfigureAwait(false);
            await _stream.CloseAsync(WebSocketCloseStatus.NormalClosure, "the call was ended by the assistant", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogEndCallFailed(e);
            _telemetry.Error("twilio-rest");
            // Twilio's API failed us: close the stream so Twilio asks the webhook, which apologises.
            await _stream.CloseAsync(WebSocketCloseStatus.InternalServerError, "could not end the call through Twilio", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void SayGoodbyeAtMaxDuration() => _session.SendText(_options.GoodbyeAtMaxDuration);

    /// <summary>A limit on the call's cost ended it: Twilio is told why (it has already been hung up at the maximum duration).</summary>
    private async Task<string> LimitReachedAsync(Task<CallLimitReached> limit)
    {
        var reached = await limit.ConfigureAwait(false);
        _telemetry.LimitReached(reached.Limit);
        await _stream.CloseAsync(reached.Status, reached.Reason, CancellationToken.None).ConfigureAwait(false);
        return reached.Limit;
    }

    private void SayGoodbyeOnShutdown(CancellationTokenSource lifetime)
    {
        LogGoodbyeOnShutdown();
        _session.SendText(_options.GoodbyeOnShutdown);
        lock (_background)
        {
            _background.Add(CloseAtGoodbyeDeadlineAsync(lifetime));
        }
    }

    /// <summary>
    /// If the model does not end the call itself, the line closes with 1001 and Twilio's connect-ended apologises.
    /// The close goes out while the receive loop still runs, so Twilio's answer ends the loop and the close frame
    /// is not overtaken by a reset; the loop is cancelled only if Twilio does not answer.
    /// </summary>
    private async Task CloseAtGoodbyeDeadlineAsync(CancellationTokenSource lifetime)
    {
        try
        {
            await Task.Delay(GoodbyeOnShutdownTimeout, _time, lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Volatile.Write(ref _goodbyeDeadlinePassed, true);
        await _stream.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "the bridge is shutting down", CancellationToken.None).ConfigureAwait(false);
        lifetime.CancelAfter(CloseModelTimeout);
    }

    private async Task<string> CallerEndedAsync(Task<bool> receive)
    {
        try
        {
            var stopped = await receive.ConfigureAwait(false);
            return Volatile.Read(ref _endAfterPlayback) is not null ? "tool"
                : Volatile.Read(ref _goodbyeDeadlinePassed) ? "drain-deadline"
                : stopped ? "caller-hung-up" : "socket-closed";
        }
        catch (TwilioStreamClosedException e)
        {
            LogMalformed(e.Message, e.Status);
            _telemetry.Error("twilio-protocol");
            await _stream.CloseAsync(e.Status, e.Message, CancellationToken.None).ConfigureAwait(false);
            return "malformed-frame";
        }
        catch (OperationCanceledException)
        {
            // The drain deadline passed and the model did not end the call itself.
            await _stream.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "the bridge is shutting down", CancellationToken.None).ConfigureAwait(false);
            return "drain-deadline";
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            return "socket-lost";
        }
    }

    private async Task<string> ModelEndedAsync(Task modelOutput)
    {
        try
        {
            await modelOutput.ConfigureAwait(false);
            await _stream.CloseAsync(WebSocketCloseStatus.NormalClosure, "the conversation ended", CancellationToken.None).ConfigureAwait(false);
            return "model-ended";
        }
        catch (OperationCanceledException)
        {
            await _stream.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "the call was ended by the bridge", CancellationToken.None).ConfigureAwait(false);
            return "ended-by-bridge";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogModelFailed(e);
            _telemetry.Error("model");
            // Twilio then asks the webhook's connect-ended, which apologises: never silence on an open line.
            await _stream.CloseAsync(WebSocketCloseStatus.InternalServerError, "the assistant is unavailable", CancellationToken.None).ConfigureAwait(false);
            return "model-failed";
        }
    }

    /// <summary>
    /// Cancelling the receive loop aborts the WebSocket, and with the caller's audio still arriving the reset can
    /// overtake our close frame: let Twilio answer the close first (the loop then ends by itself).
    /// </summary>
    private async Task AwaitCallerCloseAsync(Task receive)
    {
        try
        {
            await receive.WaitAsync(CloseModelTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A timeout or the loop's own failure: either way the loop is settled below.
        }
    }

    private async Task CloseModelAsync()
    {
        try
        {
            await _session.CloseAsync().WaitAsync(CloseModelTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or ChannelClosedException or InvalidOperationException)
        {
            LogModelCloseSlow(e.GetType().Name);
        }
        finally
        {
            await _session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task Settle(IEnumerable<Task> tasks)
    {
        foreach (var task in tasks)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Cancellations and closed sockets are expected as the call's pieces stop one after another; any
                // other failure was reported where it happened. The call is over either way.
            }
        }
    }

    private void Finish(string reason)
    {
        _queue.Dispose();
        _sendTurn.Dispose();
        _summary.Duration = _time.GetElapsedTime(_startedAt);
        _summary.EndReason = reason;
        _summary.SecondsHeard = _tracker.HeardBytes / (double)(PlaybackTracker.BytesPerMillisecond * 1000);
        SummariseAudioPath();
        _telemetry.CallEnded(reason);
        LogSummary(reason, _summary.Duration, _summary.CallerTurns, _summary.AssistantTurns, _summary.Interruptions, _summary.LocalInterruptions,
            _summary.Renewals, _summary.InputTokens, _summary.OutputTokens, _summary.FramesIn, _summary.FramesOut, _summary.SecondsHeard,
            _summary.InboundGaps, _summary.InboundGapMilliseconds, _summary.InboundFramesLost, _summary.InboundFramesLate, _summary.InboundFramesOutOfOrder,
            _summary.InboundMeanJitterMilliseconds, _summary.InboundMaxJitterMilliseconds,
            _summary.Underruns, _summary.UnderrunTime.TotalMilliseconds, _summary.MaxQueuedMilliseconds);
    }

    private void SummariseAudioPath()
    {
        var inbound = _stream.InboundTiming;
        _telemetry.InboundFramesLost(inbound.Complete());
        _summary.InboundGaps = inbound.Gaps;
        _summary.InboundGapMilliseconds = inbound.GapMilliseconds;
        _summary.InboundFramesLost = inbound.FramesLost;
        _summary.InboundFramesLate = inbound.FramesLate;
        _summary.InboundFramesOutOfOrder = inbound.FramesReordered + inbound.FramesDuplicated;
        _summary.InboundMeanJitterMilliseconds = inbound.MeanJitterMilliseconds;
        _summary.InboundMaxJitterMilliseconds = inbound.MaxJitterMilliseconds;
        _summary.Underruns = _underruns.Underruns;
        _summary.UnderrunTime = _underruns.Total;
    }

    [LoggerMessage(Level = LogLevel.Information, EventName = "CallerSaid", Message = "Caller: {Text}")]
    private partial void LogCallerSaid(string text);

    [LoggerMessage(Level = LogLevel.Information, EventName = "AssistantSaid", Message = "Assistant: {Text}")]
    private partial void LogAssistantSaid(string text);

    [LoggerMessage(Level = LogLevel.Information, EventName = "AssistantInterrupted", Message = "Assistant (interrupted; the caller heard): {Text}")]
    private partial void LogAssistantInterrupted(string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caller pressed {Digit}")]
    private partial void LogDtmf(char digit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model stream renewed (stream {Generation}, {Reason}); {BufferedSamples} caller samples carried over")]
    private partial void LogRenewed(int generation, NovaRenewalReason reason, int bufferedSamples);

    [LoggerMessage(Level = LogLevel.Information, Message = "The model uses {Tool}")]
    private partial void LogToolUse(string tool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model asked for an unknown tool {Tool}")]
    private partial void LogUnknownTool(string tool);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} failed")]
    private partial void LogToolFailed(Exception e, string tool);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ending the call through Twilio failed")]
    private partial void LogEndCallFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining: asking the model to say goodbye")]
    private partial void LogGoodbyeOnShutdown();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the call: {Reason} (WebSocket {Status})")]
    private partial void LogMalformed(string reason, WebSocketCloseStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "The model failed; ending the call so Twilio plays the apology")]
    private partial void LogModelFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model stream did not close in time ({Error})")]
    private partial void LogModelCloseSlow(string error);

    [LoggerMessage(Level = LogLevel.Information, EventName = "CallSummary",
        Message = "Call ended ({Reason}) after {Duration}: {CallerTurns} caller and {AssistantTurns} assistant turns, {Interruptions} interruptions ({LocalInterruptions} local), {Renewals} renewals, {InputTokens} input and {OutputTokens} output tokens, {FramesIn} frames in, {FramesOut} out, {SecondsHeard:0.0} s heard; " +
            "caller audio: {InboundGaps} gaps ({InboundGapMs} ms), {InboundFramesLost} frames lost, {InboundFramesLate} late, {InboundFramesOutOfOrder} out of order, jitter {InboundJitterMeanMs:0.0} ms mean, {InboundJitterMaxMs:0.0} ms max; " +
            "playback: {Underruns} underruns ({UnderrunMs:0} ms), queue at most {MaxQueuedMs:0} ms")]
    private partial void LogSummary(string reason, TimeSpan duration, int callerTurns, int assistantTurns, int interruptions, int localInterruptions, int renewals,
        long inputTokens, long outputTokens, long framesIn, long framesOut, double secondsHeard,
        int inboundGaps, long inboundGapMs, long inboundFramesLost, long inboundFramesLate, long inboundFramesOutOfOrder, double inboundJitterMeanMs, double inboundJitterMaxMs,
        int underruns, double underrunMs, double maxQueuedMs);

    [LoggerMessage(Level = LogLevel.Information, EventName = "LocalBargeIn",
        Message = "The caller talked over audio from a replaced model stream (stream {Generation} listens now): interrupting it locally")]
    private partial void LogLocalBargeIn(int generation);
}
