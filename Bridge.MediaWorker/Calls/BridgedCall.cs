using Bridge.Audio;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;
using Bridge.TwilioMedia;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// One live call, wiring its Twilio media stream to its conversation with the model: the caller's µ-law becomes PCM
/// chunks for the model (DTMF becomes text); the model's events become speech for the caller (<see cref="Playout"/>),
/// words set against what was heard (<see cref="HeardTurns"/>), barge-ins (the model's, or the call's own over stale
/// audio: <see cref="LocalBargeIn"/>), tool runs (<see cref="CallToolRunner"/>) and counts for the summary. Ends cleanly
/// from either side (<see cref="CallEnding"/>): the caller hanging up, a tool, the drain deadline, a model failure, or
/// one of the <see cref="CallLimits"/> that bound its cost. Built by <see cref="CallFactory"/>.
/// </summary>
public sealed class BridgedCall : ITwilioStreamListener
{
    private const int FrameBytes = TwilioMediaStream.FrameBytes;

    private readonly ITwilioMediaStream _stream;
    private readonly INovaConversation _session;
    private readonly CallLimits _limits;
    private readonly CallTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CallSummary _summary = new();
    private readonly Lock _interruptionCount = new();
    private readonly InboundChunker _chunker;
    private readonly short[] _chunks;
    private readonly Playout _playout;
    private readonly ModelOutputReader _model;
    private readonly HeardTurns _turns = new();
    private readonly ConversationTranscript? _transcript;
    private readonly LocalBargeIn _localBargeIn;
    private readonly CallEnding _ending;
    private readonly CallToolRunner _tools;
    private readonly string _goodbyeAtMaxDuration;
    private readonly long _startedAt;
    private long _modelEventsHandled;
    private long _lastModelAudioAt;

    internal BridgedCall(
        ITwilioMediaStream stream, TwilioStartInfo start, INovaConversation session, IEnumerable<ICallTool> tools, AudioOptions audio,
        CallOptions options, CallLimits limits, CallTelemetry telemetry, TimeProvider time, ILogger logger, ConversationTranscript? transcript = null)
    {
        _stream = stream;
        _session = session;
        _limits = limits;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _goodbyeAtMaxDuration = options.GoodbyeAtMaxDuration;
        _startedAt = time.GetTimestamp();
        _transcript = transcript;
        _chunker = new InboundChunker(audio);
        _chunks = new short[_chunker.GetMaxOutputLength(4 * FrameBytes)];
        _playout = new Playout(stream, audio, options, session.Generation, () => session.IsModelSpeaking, session.ReportOutputPlaying,
            telemetry, _summary, time);
        _model = new ModelOutputReader(session, audio.ModelOutputRate, telemetry, _summary, logger);
        _localBargeIn = new LocalBargeIn(_playout, session);
        _ending = new CallEnding(stream, session, _playout, options, telemetry, time, logger);
        _tools = new CallToolRunner(tools, start.CallSid, start.StreamSid, session, _ending, telemetry, _summary, time, logger);
    }

    /// <summary>What the call amounted to; complete once <see cref="RunAsync"/> has returned.</summary>
    public CallSummary Summary => _summary;

    /// <summary>
    /// Every model event taken has been handled (or the call waits for playback to make room) and nothing is left to
    /// send: for tests on fake time, the call has caught up with the clock.
    /// </summary>
    internal bool IsIdle =>
        (_model.IsParkedWaitingForRoom || (Volatile.Read(ref _modelEventsHandled) == _model.Returned && _model.ReadAheadCount == 0))
        && _localBargeIn.IsIdle && _playout.IsIdle;

    /// <summary>Runs the call until it ends; returns why it ended. Never throws for anything the call's peers do.</summary>
    public async Task<CallEndReason> RunAsync(CancellationToken endCallsRequested, CancellationToken aborted)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var background = new List<Task>();
        // The sender first: it gives the playout the call's token before any mark echo can send with it.
        var sender = _playout.RunSenderAsync(lifetime.Token);
        var receive = _stream.RunAsync(this, lifetime.Token);
        var modelOutput = PumpModelOutputAsync(lifetime.Token);
        var localBargeIns = _localBargeIn.RunAsync(token => BargeInAsync(BargeInSource.Local, token), lifetime.Token);
        var limit = _limits.WatchAsync(() => _session.SendText(_goodbyeAtMaxDuration), lifetime.Token);
        await using var drain = endCallsRequested.Register(() =>
        {
            _ending.SayGoodbyeOnShutdown();
            lock (background)
            {
                background.Add(_ending.CloseAtGoodbyeDeadlineAsync(lifetime));
            }
        });

        var first = await Task.WhenAny(receive, modelOutput, limit).ConfigureAwait(false);
        if (first == limit && !limit.IsCompletedSuccessfully)
        {
            // The watch was cancelled with the call (the connection aborted): the receive loop or the model ends it.
            first = await Task.WhenAny(receive, modelOutput).ConfigureAwait(false);
        }
        CallEndReason reason;
        if (first == receive)
        {
            reason = await _ending.CallerEndedAsync(receive).ConfigureAwait(false);
            await _ending.CloseModelAsync().ConfigureAwait(false);
        }
        else
        {
            reason = first == modelOutput
                ? await _ending.ModelEndedAsync(modelOutput).ConfigureAwait(false)
                : await _ending.LimitReachedAsync(limit).ConfigureAwait(false);
            await _ending.CloseModelAsync().ConfigureAwait(false);
            await _ending.AwaitCallerCloseAsync(receive).ConfigureAwait(false);
        }

        await lifetime.CancelAsync().ConfigureAwait(false);
        await drain.DisposeAsync().ConfigureAwait(false);
        List<Task> pieces = [receive, modelOutput, sender, localBargeIns, limit, .. _tools.Running];
        lock (background)
        {
            pieces.AddRange(background);
        }
        await Settle(pieces).ConfigureAwait(false);
        Finish(reason);
        return reason;
    }

    bool ITwilioStreamListener.AcceptMessage() => _limits.AcceptMessage(_time.GetTimestamp());

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
            // A bitwise test: HasFlag boxed the enum on this path (10 KB per call-second, docs/benchmarks.md).
            if ((_session.SendAudio(_chunks.AsSpan(offset, _chunker.ChunkSamples)) & VoiceActivity.Onset) != 0)
            {
                _localBargeIn.CallerStartedTalking();
            }
        }
        if (samples > 0)
        {
            _telemetry.InboundLatency(_time.GetElapsedTime(receivedAt));
        }
    }

    void ITwilioStreamListener.OnDtmf(char digit)
    {
        if (!_limits.AcceptDtmf(_time.GetTimestamp()))
        {
            return;
        }
        CallLog.Dtmf(_logger, digit);
        _session.SendText($"The caller pressed {digit} on the phone's keypad.");
    }

    void ITwilioStreamListener.OnPlayback(PlaybackPosition playback, bool advanced) => _playout.OnPlayback(playback, advanced);

    private async Task PumpModelOutputAsync(CancellationToken cancellationToken)
    {
        while (await _model.NextAsync(cancellationToken).ConfigureAwait(false) is { } output)
        {
            switch (output)
            {
                case NovaAudioOutput audio:
                    await QueueAsync(ModelAudio(audio), cancellationToken).ConfigureAwait(false);
                    break;
                case NovaBargeIn:
                    await BargeInAsync(BargeInSource.Model, cancellationToken).ConfigureAwait(false);
                    break;
                case NovaTranscript transcript:
                    OnTranscript(transcript);
                    break;
                case NovaToolUse toolUse:
                    _tools.Start(toolUse, cancellationToken);
                    break;
                case NovaTurnEnd:
                    // Before the framer's last partial frame is queued: that remainder is no sign that more was coming.
                    _playout.NothingPendingUnlessQueued();
                    await QueueAsync(_playout.FlushTurn(), cancellationToken).ConfigureAwait(false);
                    break;
                case NovaUsage usage:
                    _summary.Counted(usage);
                    break;
                case NovaStreamRenewed renewed:
                    // Everything queued so far came from streams that will not hear the caller talk over it.
                    _playout.StreamRenewed(renewed.Generation);
                    _summary.Renewals++;
                    _telemetry.Renewed(renewed.Reason.ToString());
                    CallLog.Renewed(_logger, renewed.Generation, renewed.Reason, renewed.BufferedSamples);
                    break;
            }
            Interlocked.Increment(ref _modelEventsHandled);
        }
    }

    /// <summary>Model speech as µ-law frames; the first since the caller last spoke times the caller's wait for an answer.</summary>
    private ReadOnlyMemory<byte> ModelAudio(NovaAudioOutput audio)
    {
        var arrivedAt = _time.GetTimestamp();
        var lastSpeech = _session.LastCallerSpeechAt;
        if (lastSpeech > _lastModelAudioAt)
        {
            _telemetry.ResponseLatency(_time.GetElapsedTime(lastSpeech, arrivedAt));
        }
        _lastModelAudioAt = arrivedAt;
        _ending.ModelAudioArrived(arrivedAt);
        return _playout.Frame(audio, arrivedAt);
    }

    /// <summary>
    /// Queues µ-law frames and sends what playback allows; when the queue is full, waits for playback to make room
    /// (reading the model ahead meanwhile).
    /// </summary>
    private async Task QueueAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken)
    {
        while (!frames.IsEmpty)
        {
            frames = frames[_playout.Enqueue(frames.Span)..];
            await _playout.SendQueuedAsync(cancellationToken).ConfigureAwait(false);
            if (!frames.IsEmpty && !await _model.WaitForRoomAsync(_playout, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The caller spoke over the model: the queued audio and Twilio's buffer are dropped, the turn is recorded as cut
    /// where the caller stopped hearing it, and pending tools that a barge-in cancels are cancelled. A local barge-in
    /// goes ahead only if stale audio is still playing by now; one after a clear with nothing queued since is not
    /// counted again.
    /// </summary>
    private async Task BargeInAsync(BargeInSource source, CancellationToken cancellationToken)
    {
        var signalledAt = _time.GetTimestamp();
        var local = source == BargeInSource.Local;
        if (await _playout.ClearAsync(onlyStale: local, handingOff: local && _session.IsHandingOff, cancellationToken).ConfigureAwait(false) is not { } cut)
        {
            return;
        }
        // Nothing queued since the last clear: the same interruption signalled again (the call's own, then the
        // model's). Cleared again, counted once.
        if (!cut.NothingSinceLastClear)
        {
            Counted(source, _time.GetElapsedTime(signalledAt));
        }
        _tools.CallerInterrupted();
        var (said, heard) = _turns.Cut(cut);
        if (said.Length == 0 && cut.NothingSinceLastClear)
        {
            return;
        }
        _session.AssistantInterrupted(said, heard);
        _transcript?.AgentCut(said, heard);
        if (!string.IsNullOrWhiteSpace(heard))
        {
            CallLog.AssistantInterrupted(_logger, heard);
        }
    }

    /// <summary>One interruption in the summary and metrics; the model's pump and the local barge-ins may count at once.</summary>
    private void Counted(BargeInSource source, TimeSpan latency)
    {
        var local = source == BargeInSource.Local;
        _telemetry.Interrupted(latency, local ? "local" : "model");
        lock (_interruptionCount)
        {
            _summary.Interruptions++;
            if (local)
            {
                _summary.LocalInterruptions++;
            }
        }
        if (local)
        {
            CallLog.LocalBargeIn(_logger, _session.Generation);
        }
    }

    private void OnTranscript(NovaTranscript transcript)
    {
        switch (transcript)
        {
            case { Role: NovaRole.User }:
                _summary.CallerTurns++;
                _transcript?.CalleeSaid(transcript.Text);
                CallLog.CallerSaid(_logger, transcript.Text);
                break;
            case { Role: NovaRole.Assistant, Stage: NovaGenerationStage.Speculative }:
                _turns.Planned(transcript.Text, _playout.QueuedPosition);
                break;
            case { Role: NovaRole.Assistant, Stage: NovaGenerationStage.Final }:
                _summary.AssistantTurns++;
                _turns.Said(transcript.Text);
                _transcript?.AgentSaid(transcript.Text);
                CallLog.AssistantSaid(_logger, transcript.Text);
                break;
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

    private void Finish(CallEndReason reason)
    {
        _playout.Dispose();
        _telemetry.InboundFramesLost(_stream.InboundTiming.Complete());
        _summary.Duration = _time.GetElapsedTime(_startedAt);
        _summary.EndReason = reason;
        _summary.SecondsHeard = _stream.Playback.HeardBytes / (double)(PlaybackPosition.BytesPerMillisecond * 1000);
        _summary.Counted(_stream.InboundTiming);
        _summary.Underruns = _playout.Underruns;
        _summary.UnderrunTime = _playout.UnderrunTime;
        _telemetry.CallEnded(reason);
        _summary.Log(_logger);
    }

    private enum BargeInSource
    {
        /// <summary>The model's interruption signal.</summary>
        Model,

        /// <summary>The caller's speech over stale audio, noticed by the call itself.</summary>
        Local,
    }
}
