using System.Threading.Channels;
using Bridge.Audio;
using Bridge.Bedrock;
using Bridge.Buffers;
using Microsoft.Extensions.Logging;

namespace Bridge.NovaSonic;

/// <summary>
/// One conversation with Nova Sonic, over as many streams as it takes: the stream is renewed before Bedrock's
/// limit (<see cref="RenewalSchedule"/>) and after a retryable failure, with the conversation so far as history,
/// switching at a quiet moment and replaying the caller's audio held meanwhile (<see cref="CurrentStream"/>).
/// Knows nothing of telephony.
/// </summary>
public sealed class NovaSonicSession : INovaConversation
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Caller silence after which a renewal may switch streams without cutting an utterance.</summary>
    private static readonly TimeSpan CallerQuietBeforeRenewal = TimeSpan.FromMilliseconds(800);

    /// <summary>The longest utterance a forced switch replays to the new stream.</summary>
    private static readonly TimeSpan UtteranceReplay = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The model's events waiting for the reader, at most (by the PCM and text they hold): 64 KiB is 0.7 s of speech at
    /// 24 kHz, 2 s at 8 kHz. Beyond it the stream is read no further (its own queue, then HTTP/2, hold the model back).
    /// </summary>
    public const int EventQueueBytes = 64 * 1024;

    private readonly Func<IReadOnlyList<NovaTurn>, int, CancellationToken, Task<INovaStream>> _open;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SizeBoundedChannel<NovaOutputEvent> _events = new(EventQueueBytes, SizeOf);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly CancellationToken _disposed;
    private readonly List<Task> _pumps = [];
    private readonly CurrentStream _streams;
    private readonly RenewalSchedule _renewal;
    private readonly AssistantSpeech _assistant;
    private volatile bool _outputPlaying;

    internal NovaSonicSession(
        INovaStream first,
        Func<IReadOnlyList<NovaTurn>, int, CancellationToken, Task<INovaStream>> open,
        NovaConversationHistory history,
        NovaSonicOptions options,
        int inputSampleRate,
        TimeProvider time,
        ILogger logger)
    {
        _open = open;
        _disposed = _lifetime.Token;
        History = history;
        CallerSpeech = new CallerSpeechMonitor(inputSampleRate, time);
        _streams = new CurrentStream(first, inputSampleRate, UtteranceReplay);
        _renewal = new RenewalSchedule(options, time, OnRenewalDue, OnRenewalOverdue);
        _assistant = new AssistantSpeech(history);
        _time = time;
        _logger = logger;
        Log.StreamOpened(logger, first.Generation);
        Attach(first);
    }

    /// <summary>
    /// Everything the model says, in order. Bounded (<see cref="EventQueueBytes"/>): while the reader is behind, the
    /// model is read no further. Completes after <see cref="CloseAsync"/>; faults with the error when the
    /// conversation cannot go on (a non-retryable error, or no new stream could be opened).
    /// </summary>
    public ChannelReader<NovaOutputEvent> Events => _events.Reader;

    /// <summary>The final transcripts so far, cut to what the listener heard (what a new stream is given as history).</summary>
    public NovaConversationHistory History { get; }

    /// <summary>When the caller speaks, judged from the audio sent (see <see cref="CallerSpeechMonitor"/>).</summary>
    public CallerSpeechMonitor CallerSpeech { get; }

    /// <summary>Which stream carries the conversation now, counting from 1.</summary>
    public int Generation => _streams.Stream.Generation;

    /// <summary>The model is in the middle of speaking: the current stream has an audio content open.</summary>
    public bool IsModelSpeaking => _streams.Stream.IsModelSpeaking;

    /// <summary>True while a new stream is being opened and the caller's audio is held for it.</summary>
    public bool IsHandingOff => _streams.IsSwitching;

    /// <inheritdoc />
    public long LastCallerSpeechAt => CallerSpeech.LastSpeechAt;

    /// <summary>
    /// Sends caller audio (PCM16 mono at the setup's input rate, ideally about 32 ms at a time). Never blocks on
    /// the network; during a handoff the audio is held and replayed to the new stream. Returns what
    /// <see cref="CallerSpeech"/> heard in the samples (speech, an utterance's onset), so the caller need not measure
    /// them again.
    /// </summary>
    public VoiceActivity SendAudio(ReadOnlySpan<short> samples)
    {
        var activity = CallerSpeech.Observe(samples);
        var stream = _streams.SendAudio(samples, keepForReplay: !CallerSpeech.QuietFor(CallerQuietBeforeRenewal));
        if (stream is not null)
        {
            // A renewal held back while the caller spoke may go once they have paused.
            RenewIfDueAndQuiet(stream);
        }
        return activity;
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
            RenewIfDueAndQuiet(_streams.Stream);
        }
    }

    /// <inheritdoc />
    public void AssistantInterrupted(string said, string heard) => _assistant.Interrupted(said, heard);

    /// <summary>Interactive text from the user's side mid-conversation: a greeting instruction, DTMF digits, a "one moment".</summary>
    public void SendText(string text) => _streams.Send(now: stream => stream.SendInteractiveText(text), onNext: stream => stream.SendInteractiveText(text));

    /// <summary>
    /// Answers a <see cref="NovaToolUse"/> with the tool's result (a JSON document), to the stream that asked for it. If
    /// that stream has been replaced meanwhile (a failure, a forced renewal), the stream carrying the conversation never
    /// issued that tool call and would refuse a result for it: the result reaches it as text instead, so the model can
    /// still tell the caller what the tool found (the caller asked for it, and waits).
    /// </summary>
    public void SendToolResult(string toolUseId, string resultJson)
    {
        void Send(INovaStream stream)
        {
            if (stream.AwaitsToolResult(toolUseId))
            {
                stream.SendToolResult(toolUseId, resultJson);
                return;
            }
            Log.ToolResultAsText(_logger, toolUseId, stream.Generation);
            stream.SendInteractiveText($"(The result of the tool you called before the line was interrupted: {resultJson})");
        }

        _streams.Send(now: Send, onNext: Send);
        RenewIfDueAndQuiet(_streams.Stream);
    }

    /// <summary>
    /// Ends the conversation in order (contentEnd, promptEnd, sessionEnd) and waits for the model's last events, which
    /// must be read meanwhile (<see cref="Events"/> is bounded), unless the session is disposed.
    /// </summary>
    public async Task CloseAsync()
    {
        if (_streams.Close() is not { } current)
        {
            return;
        }
        _renewal.Dispose();
        await current.CloseAsync(CloseTimeout, _time).ConfigureAwait(false);
        await WhenPumpsEnd().ConfigureAwait(false);
        _events.TryComplete();
    }

    private void Attach(INovaStream stream)
    {
        lock (_pumps)
        {
            _pumps.Add(Task.Run(() => PumpAsync(stream)));
        }
        _renewal.Start(stream.Generation);
    }

    /// <summary>Reads one stream's events into <see cref="Events"/> until the stream ends, then decides what follows.</summary>
    private async Task PumpAsync(INovaStream stream)
    {
        var produced = new List<NovaOutputEvent>();
        Exception? failure = null;
        try
        {
            while (await stream.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (stream.TryRead(produced))
                {
                    foreach (var output in produced)
                    {
                        Note(stream, output);
                        await EmitAsync(output).ConfigureAwait(false);
                    }
                    produced.Clear();
                    RenewIfDueAndQuiet(stream);
                }
            }
        }
        catch (Exception exception) when (exception is BedrockStreamException or OperationCanceledException)
        {
            failure = exception;
        }
        OnStreamEnded(stream, failure);
    }

    /// <summary>
    /// What the conversation keeps of the model's events: the caller's words and the assistant's as history, what the
    /// assistant is saying now (from the stream carrying the conversation), when the caller was answered.
    /// </summary>
    private void Note(INovaStream stream, NovaOutputEvent output)
    {
        switch (output)
        {
            case NovaTranscript { Role: NovaRole.User } transcript:
                History.Add(NovaRole.User, transcript.Text);
                _streams.Transcribed(stream);
                break;
            case NovaTranscript { Stage: NovaGenerationStage.Final } transcript:
                _assistant.Said(transcript.Text);
                break;
            case NovaTranscript transcript when _streams.IsSteadyOn(stream):
                _assistant.Planned(transcript.Text);
                break;
            case NovaAudioOutput when _streams.IsSteadyOn(stream):
                _assistant.Spoke();
                break;
            case NovaBargeIn when _streams.IsSteadyOn(stream):
                _assistant.BargedIn();
                break;
            case NovaTurnEnd:
                CallerSpeech.Answered();
                break;
        }
    }

    private void OnStreamEnded(INovaStream stream, Exception? failure)
    {
        if (!_streams.IsSteadyOn(stream))
        {
            return;
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

    private void OnRenewalDue(int generation)
    {
        if (_streams.Stream is { } current && current.Generation == generation)
        {
            RenewIfDueAndQuiet(current);
        }
    }

    /// <summary>No quiet moment came in time: go anyway, before Bedrock's own limit does it less gracefully.</summary>
    private void OnRenewalOverdue(int generation)
    {
        if (_streams.Stream.Generation == generation)
        {
            StartRenewal(NovaRenewalReason.Scheduled);
        }
    }

    private void RenewIfDueAndQuiet(INovaStream stream)
    {
        if (_renewal.IsDue(stream.Generation) && RenewalSchedule.IsQuietMoment(
                _outputPlaying, stream.IsModelSpeaking, stream.PendingToolUses,
                CallerSpeech.QuietFor(CallerQuietBeforeRenewal), CallerSpeech.AwaitingReply))
        {
            StartRenewal(NovaRenewalReason.Scheduled);
        }
    }

    private void StartRenewal(NovaRenewalReason reason)
    {
        // A switch before the caller's last words were answered (a forced renewal, a failure): the new stream hears
        // the utterance from its start.
        if (_streams.BeginSwitch(replayUtterance: CallerSpeech.AwaitingReply) is not { } old)
        {
            return;
        }
        _renewal.Clear();
        _assistant.StreamReplaced();
        Log.RenewalStarting(_logger, reason, old.Generation);
        _ = RenewAsync(old, reason);
    }

    private async Task RenewAsync(INovaStream old, NovaRenewalReason reason)
    {
        INovaStream next;
        try
        {
            next = await _open(History.ForNewStream(), old.Generation + 1, _disposed).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await old.DisposeAsync().ConfigureAwait(false);
            await FailAsync(exception).ConfigureAwait(false);
            return;
        }

        if (!_streams.CompleteSwitch(next, out var replayed, out var dropped))
        {
            _ = next.DisposeAsync().AsTask();
            return;
        }

        Log.RenewalDone(_logger, next.Generation, reason, replayed, dropped);
        // Before the new stream's first event: its audio is the first the old stream's listener can interrupt.
        await EmitAsync(new NovaStreamRenewed(next.Generation, reason, replayed)).ConfigureAwait(false);
        Attach(next);

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
        if (_streams.Close() is not { } current)
        {
            return;
        }
        Log.SessionFailed(_logger, failure);
        _renewal.Dispose();
        _events.TryComplete(failure);
        await current.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Queues an event for the reader, waiting while the queue is full (the stream is then read no further). Once the
    /// session is disposed nobody reads: events are dropped, so the streams can still be drained to their end.
    /// </summary>
    private async ValueTask EmitAsync(NovaOutputEvent output)
    {
        try
        {
            await _events.WriteAsync(output, _disposed).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    /// <summary>What an event holds in memory: its PCM, its text; a little for the rest.</summary>
    private static int SizeOf(NovaOutputEvent output) => output switch
    {
        NovaAudioOutput audio => audio.Pcm.Length,
        NovaTranscript transcript => transcript.Text.Length * sizeof(char),
        NovaToolUse toolUse => (toolUse.InputJson.Length + toolUse.ToolUseId.Length) * sizeof(char),
        _ => 64,
    };

    private Task WhenPumpsEnd()
    {
        lock (_pumps)
        {
            return Task.WhenAll(_pumps);
        }
    }

    /// <summary>Stops delivering events (nobody reads them now), closes in order if still open, then releases the streams.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
        _streams.ReleaseBuffers();
        await _streams.Stream.DisposeAsync().ConfigureAwait(false);
        _renewal.Dispose();
        _lifetime.Dispose();
    }
}
