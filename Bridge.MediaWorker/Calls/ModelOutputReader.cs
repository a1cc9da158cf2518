using System.Runtime.CompilerServices;
using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Reads the model's events for the call, and reads ahead of a full playback queue, so that an interruption behind
/// more audio is acted on at once, not after that audio has waited its turn. The read-ahead is bounded: its audio by
/// <see cref="ReadAheadBytes"/> (beyond it, audio that would wait behind a full queue and a full read-ahead is dropped
/// and counted: <c>Calls:MaxQueuedAudio</c> is the most kept waiting), everything else by as much again (beyond it the
/// model is read no further until playback makes room). Used by the call's model pump alone.
/// </summary>
internal sealed class ModelOutputReader(INovaConversation session, int outputSampleRate, CallTelemetry telemetry, CallSummary summary, ILogger logger)
{
    /// <summary>Model audio (its PCM) read ahead of a full playback queue, at most: 1.4 s at 24 kHz, 4.1 s at 8 kHz.</summary>
    public const int ReadAheadBytes = 64 * 1024;

    private readonly Queue<NovaOutputEvent> _readAhead = new();
    private int _audioBytes;
    private int _otherBytes;
    private bool _droppedLogged;

    /// <summary>Events read ahead and not yet taken.</summary>
    public int Count => _readAhead.Count;

    private long _returned;

    /// <summary>
    /// Events handed to the call so far. Counted before an event leaves a queue (and uncounted when none did), so that
    /// another thread never sees an event neither queued nor counted.
    /// </summary>
    internal long Returned => Volatile.Read(ref _returned);

    /// <summary>Events read ahead and not yet handed to the call (read from another thread: tests on fake time).</summary>
    internal int ReadAheadCount => Volatile.Read(ref _readAheadCount);

    /// <summary>Blocked waiting for playback to make room or for the model's next event, with nothing in hand.</summary>
    internal bool IsParkedWaitingForRoom => Volatile.Read(ref _parked);

    private int _readAheadCount;
    private bool _parked;

    /// <summary>The next model event: one read ahead while the queue was full, else the next from the session; null once they end.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<NovaOutputEvent?> NextAsync(CancellationToken cancellationToken)
    {
        NovaOutputEvent? output;
        // Only the pump touches the read-ahead, so a non-empty queue cannot be emptied before the dequeue.
        if (_readAhead.Count > 0)
        {
            Interlocked.Increment(ref _returned);
            output = _readAhead.Dequeue();
            Interlocked.Decrement(ref _readAheadCount);
            Taken(output);
            return output;
        }
        while (await session.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _returned);
            if (session.Events.TryRead(out output))
            {
                return output;
            }
            Interlocked.Decrement(ref _returned);
        }
        return null;
    }

    /// <summary>
    /// Waits for playback to make room in a full queue while reading the model's events ahead. Returns false when the
    /// model signalled a barge-in: the audio being queued, and any read ahead of the signal, is to be dropped.
    /// </summary>
    public Task<bool> WaitForRoomAsync(Playout playout, CancellationToken cancellationToken) =>
        ReadAheadUntilRoomAsync(playout, cancellationToken);

    private async Task<bool> ReadAheadUntilRoomAsync(Playout playout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var canReadMore = _otherBytes < ReadAheadBytes;
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var room = playout.RoomMadeAsync(waiting.Token);
            var more = canReadMore ? session.Events.WaitToReadAsync(waiting.Token).AsTask() : Task.FromResult(false);
            Volatile.Write(ref _parked, true);
            await Task.WhenAny(room, canReadMore ? more : room).ConfigureAwait(false);
            Volatile.Write(ref _parked, false);
            await waiting.CancelAsync().ConfigureAwait(false);
            var gotRoom = await Succeeded(room).ConfigureAwait(false);
            var events = canReadMore && await Succeeded(more).ConfigureAwait(false) && more.Result;
            cancellationToken.ThrowIfCancellationRequested();
            while (events && _otherBytes < ReadAheadBytes && session.Events.TryRead(out var output))
            {
                Keep(output);
            }
            if (_readAhead.Any(o => o is NovaBargeIn))
            {
                DropAudioAheadOfBargeIn();
                if (gotRoom)
                {
                    playout.SignalRoom();
                }
                return false;
            }
            if (gotRoom)
            {
                return true;
            }
            if (canReadMore && more.IsCompletedSuccessfully && !more.Result)
            {
                // The session's events have ended: only playback can make room now.
                await playout.RoomMadeAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    private void Keep(NovaOutputEvent output)
    {
        if (output is NovaAudioOutput audio)
        {
            if (_audioBytes + audio.Pcm.Length > ReadAheadBytes)
            {
                Dropped(audio);
                return;
            }
            _audioBytes += audio.Pcm.Length;
        }
        else
        {
            _otherBytes += SizeOf(output);
        }
        _readAhead.Enqueue(output);
        Interlocked.Increment(ref _readAheadCount);
    }

    private void Taken(NovaOutputEvent output)
    {
        if (output is NovaAudioOutput audio)
        {
            _audioBytes -= audio.Pcm.Length;
        }
        else
        {
            _otherBytes -= SizeOf(output);
        }
    }

    private void Dropped(NovaAudioOutput audio)
    {
        var dropped = TimeSpan.FromSeconds(audio.Samples.Length / (double)outputSampleRate);
        summary.DroppedMilliseconds += dropped.TotalMilliseconds;
        telemetry.ModelAudioDropped(dropped);
        if (!_droppedLogged)
        {
            _droppedLogged = true;
            CallLog.ModelAudioDropped(logger);
        }
    }

    private void DropAudioAheadOfBargeIn()
    {
        var kept = new Queue<NovaOutputEvent>(_readAhead.Count);
        var beforeBargeIn = true;
        while (_readAhead.TryDequeue(out var output))
        {
            beforeBargeIn &= output is not NovaBargeIn;
            if (beforeBargeIn && output is NovaAudioOutput audio)
            {
                _audioBytes -= audio.Pcm.Length;
                continue;
            }
            kept.Enqueue(output);
        }
        while (kept.TryDequeue(out var output))
        {
            _readAhead.Enqueue(output);
        }
        Volatile.Write(ref _readAheadCount, _readAhead.Count);
    }

    /// <summary>What an event other than audio holds: its text; a little for the rest.</summary>
    private static int SizeOf(NovaOutputEvent output) => output switch
    {
        NovaTranscript transcript => 64 + transcript.Text.Length * sizeof(char),
        NovaToolUse toolUse => 64 + (toolUse.InputJson.Length + toolUse.ToolUseId.Length + toolUse.ToolName.Length) * sizeof(char),
        _ => 64,
    };

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
}
