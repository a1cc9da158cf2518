using System.Text.Json;
using System.Threading.Channels;
using Bridge.Audio;
using Bridge.MediaWorker.Bedrock;
using Microsoft.Extensions.Logging;

namespace Bridge.MediaWorker.Nova;

/// <summary>
/// One conversation with Nova Sonic, over as many streams as it takes: the stream is renewed before Bedrock's
/// limit (and after a retryable failure) with the conversation so far as history, switching at a quiet moment
/// and replaying the caller's audio buffered meanwhile. Knows nothing of telephony.
/// </summary>
public sealed class NovaSonicSession : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Caller silence after which a renewal may switch streams without cutting an utterance.</summary>
    private static readonly TimeSpan CallerQuietBeforeRenewal = TimeSpan.FromMilliseconds(800);

    /// <summary>The longest utterance a forced switch replays to the new stream.</summary>
    private static readonly TimeSpan UtteranceReplay = TimeSpan.FromSeconds(3);

    private readonly Func<IReadOnlyList<NovaTurn>, int, CancellationToken, Task<NovaStreamConnection>> _open;
    private readonly NovaSonicOptions _options;
    private readonly int _inputSampleRate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<NovaOutputEvent> _events = Channel.CreateUnbounded<NovaOutputEvent>(new() { SingleReader = false });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _lock = new();
    private readonly List<Task> _pumps = [];
    private NovaStreamConnection _current;
    private HandoffBuffer? _handoff;
    private readonly UtteranceBuffer _utterance;
    private volatile bool _outputPlaying;
    private ITimer? _renewalTimer;
    private bool _renewalDue;
    private bool _closing;

    internal NovaSonicSession(
        NovaStreamConnection first,
        Func<IReadOnlyList<NovaTurn>, int, CancellationToken, Task<NovaStreamConnection>> open,
        NovaConversationHistory history,
        NovaSonicOptions options,
        int inputSampleRate,
        TimeProvider time,
        ILogger logger)
    {
        _current = first;
        _open = open;
        History = history;
        CallerSpeech = new CallerSpeechMonitor(inputSampleRate, time);
        _utterance = new UtteranceBuffer(inputSampleRate, UtteranceReplay);
        _options = options;
        _inputSampleRate = inputSampleRate;
        _time = time;
        _logger = logger;
        Log.StreamOpened(logger, first.Generation);
        Attach(first);
    }

    /// <summary>
    /// Everything the model says, in order. Completes after <see cref="CloseAsync"/>; faults with the error when
    /// the conversation cannot go on (a non-retryable error, or no new stream could be opened).
    /// </summary>
    public ChannelReader<NovaOutputEvent> Events => _events.Reader;

    /// <summary>The final transcripts so far (what a new stream is given as history).</summary>
    public NovaConversationHistory History { get; }

    /// <summary>When the caller speaks, judged from the audio sent (see <see cref="CallerSpeechMonitor"/>).</summary>
    public CallerSpeechMonitor CallerSpeech { get; }

    /// <summary>Which stream carries the conversation now, counting from 1.</summary>
    public int Generation
    {
        get
        {
            lock (_lock)
            {
                return _current.Generation;
            }
        }
    }

    /// <summary>The model is in the middle of speaking: the current stream has an audio content open.</summary>
    public bool IsModelSpeaking
    {
        get
        {
            lock (_lock)
            {
                return _current.Interpreter.AudioInFlight;
            }
        }
    }

    /// <summary>True while a new stream is being opened and the caller's audio is held for it.</summary>
    public bool IsHandingOff
    {
        get
        {
            lock (_lock)
            {
                return _handoff is not null;
            }
        }
    }

    /// <summary>
    /// Sends caller audio (PCM16 mono at the setup's input rate, ideally about 32 ms at a time). Never blocks on
    /// the network; during a handoff the audio is held and replayed to the new stream. Returns what
    /// <see cref="CallerSpeech"/> heard in the samples (speech, an utterance's onset), so the caller need not measure
    /// them again.
    /// </summary>
    public VoiceActivity SendAudio(ReadOnlySpan<short> samples)
    {
        var speech = CallerSpeech.Observe(samples);
        NovaStreamConnection current;
        lock (_lock)
        {
            if (_closing)
            {
                return speech;
            }
            if (_handoff is { } handoff)
            {
                handoff.Append(samples);
                return speech;
            }
            _current.SendAudio(samples);
            current = _current;
            if (CallerSpeech.QuietFor(CallerQuietBeforeRenewal))
            {
                _utterance.Clear();
            }
            else
            {
                _utterance.Append(samples);
            }
        }
        // A renewal held back while the caller spoke may go once they have paused.
        RenewIfDueAndQuiet(current);
        return speech;
    }

    /// <summary>
    /// Whether the listener is still hearing model audio. The model speaks faster than real time, so its stream can
    /// fall silent long before its words have been played; switching streams then would leave a barge-in over the
    /// rest unheard by the model. The consumer reports playback here; a due renewal waits for it to end.
    /// </summary>
    public void ReportOutputPlaying(bool playing)
    {
        _outputPlaying = playing;
        if (!playing)
        {
            NovaStreamConnection current;
            lock (_lock)
            {
                current = _current;
            }
            RenewIfDueAndQuiet(current);
        }
    }

    /// <summary>Interactive text from the user's side mid-conversation: a greeting instruction, DTMF digits, a "one moment".</summary>
    public void SendText(string text) => SendOrDefer(connection => connection.SendInteractiveText(text));

    /// <summary>Answers a <see cref="NovaToolUse"/> with the tool's result (a JSON document).</summary>
    public void SendToolResult(string toolUseId, string resultJson)
    {
        SendOrDefer(connection =>
        {
            if (connection.Generation == _current.Generation || connection.Interpreter.PendingToolUses > 0)
            {
                connection.SendToolResult(toolUseId, resultJson);
            }
            else
            {
                // The stream that asked failed before the answer; the new one never heard the question.
                connection.SendInteractiveText($"(The result of the tool you called before the line was interrupted: {resultJson})");
            }
        });
        RenewIfDueAndQuiet(_current);
    }

    private void SendOrDefer(Action<NovaStreamConnection> send)
    {
        lock (_lock)
        {
            if (_closing)
            {
                return;
            }
            if (_handoff is { } handoff)
            {
                handoff.Defer(send);
                return;
            }
            send(_current);
        }
    }

    /// <summary>Ends the conversation in order (contentEnd, promptEnd, sessionEnd) and waits for the model's last events.</summary>
    public async Task CloseAsync()
    {
        NovaStreamConnection current;
        lock (_lock)
        {
            if (_closing)
            {
                return;
            }
            _closing = true;
            current = _current;
        }
        _renewalTimer?.Dispose();
        await current.CloseAsync(CloseTimeout, _time).ConfigureAwait(false);
        await WhenPumpsEnd().ConfigureAwait(false);
        _events.Writer.TryComplete();
    }

    private void Attach(NovaStreamConnection connection)
    {
        lock (_lock)
        {
            _pumps.Add(Task.Run(() => PumpAsync(connection)));
        }
        ScheduleRenewal(connection);
    }

    private async Task PumpAsync(NovaStreamConnection connection)
    {
        var produced = new List<NovaOutputEvent>();
        Exception? failure = null;
        try
        {
            await foreach (var chunk in connection.Stream.Chunks.ReadAllAsync().ConfigureAwait(false))
            {
                produced.Clear();
                try
                {
                    connection.Interpreter.Interpret(chunk.Payload.Span, produced);
                }
                catch (JsonException exception)
                {
                    Log.UnreadableEvent(_logger, exception);
                }
                foreach (var output in produced)
                {
                    if (output is NovaTranscript { Stage: NovaGenerationStage.Final } transcript)
                    {
                        History.Add(transcript.Role, transcript.Text);
                    }
                    if (output is NovaTurnEnd)
                    {
                        CallerSpeech.Answered();
                    }
                    _events.Writer.TryWrite(output);
                }
                RenewIfDueAndQuiet(connection);
            }
        }
        catch (Exception exception) when (exception is BedrockStreamException or OperationCanceledException)
        {
            failure = exception;
        }
        OnStreamEnded(connection, failure);
    }

    private void OnStreamEnded(NovaStreamConnection connection, Exception? failure)
    {
        lock (_lock)
        {
            if (_closing || connection != _current || _handoff is not null)
            {
                return;
            }
        }

        if (failure is null or BedrockStreamException { IsRetryable: true })
        {
            // The stream ended or broke under us: continue on a new one, as a renewal would.
            StartRenewal(NovaRenewalReason.Recovered);
        }
        else
        {
            _ = FailAsync(failure);
        }
    }

    private void ScheduleRenewal(NovaStreamConnection connection)
    {
        var timer = _time.CreateTimer(_ => OnRenewalDue(connection), null, _options.RenewStreamAfter, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            _renewalTimer?.Dispose();
            _renewalTimer = timer;
        }
    }

    private void OnRenewalDue(NovaStreamConnection connection)
    {
        lock (_lock)
        {
            if (connection != _current || _closing)
            {
                return;
            }
            _renewalDue = true;
            // If no quiet moment comes, go anyway before Bedrock's own limit does it less gracefully.
            _renewalTimer?.Dispose();
            _renewalTimer = _time.CreateTimer(_ => ForceRenewal(connection), null, _options.RenewalQuietWait, Timeout.InfiniteTimeSpan);
        }
        RenewIfDueAndQuiet(connection);
    }

    private void ForceRenewal(NovaStreamConnection connection)
    {
        lock (_lock)
        {
            if (connection != _current || !_renewalDue)
            {
                return;
            }
        }
        StartRenewal(NovaRenewalReason.Scheduled);
    }

    /// <summary>
    /// A quiet moment: the model is not speaking and nothing it said is still playing, no tool is running, the
    /// caller has paused, and nothing the caller
    /// said is still waiting for the model's answer (switching then would lose the answer or half an utterance).
    /// </summary>
    private void RenewIfDueAndQuiet(NovaStreamConnection connection)
    {
        if (_renewalDue && connection == _current && !_outputPlaying &&
            !connection.Interpreter.AudioInFlight && connection.Interpreter.PendingToolUses == 0 &&
            CallerSpeech.QuietFor(CallerQuietBeforeRenewal) && !CallerSpeech.AwaitingReply)
        {
            StartRenewal(NovaRenewalReason.Scheduled);
        }
    }

    private void StartRenewal(NovaRenewalReason reason)
    {
        NovaStreamConnection old;
        lock (_lock)
        {
            if (_handoff is not null || _closing)
            {
                return;
            }
            _handoff = new HandoffBuffer(_inputSampleRate);
            // A switch before the caller's last words were answered (a forced renewal, a failure): the new stream
            // hears the utterance from its start.
            if (CallerSpeech.AwaitingReply)
            {
                _utterance.MoveTo(_handoff);
            }
            _utterance.Clear();
            _renewalDue = false;
            _renewalTimer?.Dispose();
            old = _current;
        }
        Log.RenewalStarting(_logger, reason, old.Generation);
        _ = RenewAsync(old, reason);
    }

    private async Task RenewAsync(NovaStreamConnection old, NovaRenewalReason reason)
    {
        NovaStreamConnection fresh;
        try
        {
            fresh = await _open(History.ForNewStream(), old.Generation + 1, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await old.DisposeAsync().ConfigureAwait(false);
            await FailAsync(exception).ConfigureAwait(false);
            return;
        }

        int buffered, dropped;
        lock (_lock)
        {
            if (_closing)
            {
                _ = fresh.DisposeAsync().AsTask();
                return;
            }
            var handoff = _handoff!;
            buffered = handoff.BufferedSamples;
            dropped = handoff.DroppedSamples;
            handoff.ReplayInto(fresh);
            _current = fresh;
            _handoff = null;
        }

        Log.RenewalDone(_logger, fresh.Generation, reason, buffered, dropped);
        _events.Writer.TryWrite(new NovaStreamRenewed(fresh.Generation, reason, buffered));
        Attach(fresh);

        if (reason == NovaRenewalReason.Scheduled)
        {
            await old.CloseAsync(CloseTimeout, _time).ConfigureAwait(false);
        }
        else
        {
            await old.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task FailAsync(Exception failure)
    {
        NovaStreamConnection current;
        lock (_lock)
        {
            if (_closing)
            {
                return;
            }
            _closing = true;
            current = _current;
        }
        Log.SessionFailed(_logger, failure);
        _renewalTimer?.Dispose();
        _events.Writer.TryComplete(failure);
        await current.DisposeAsync().ConfigureAwait(false);
    }

    private Task WhenPumpsEnd()
    {
        lock (_lock)
        {
            return Task.WhenAll(_pumps);
        }
    }

    /// <summary>Closes in order if still open, then releases the streams.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        NovaStreamConnection current;
        lock (_lock)
        {
            current = _current;
            // A call that ends while the caller speaks would otherwise keep the utterance's pooled buffer.
            _utterance.Clear();
        }
        await current.DisposeAsync().ConfigureAwait(false);
        _renewalTimer?.Dispose();
        _lifetime.Dispose();
    }
}
