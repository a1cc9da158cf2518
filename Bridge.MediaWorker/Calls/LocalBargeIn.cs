using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// The stale-audio barge-in: after the session switches model streams, the audio still playing came from a stream
/// that no longer hears the caller, so no model would signal a barge-in over it. When the caller starts talking over
/// such audio (an utterance's onset, from the voice detector), the call interrupts it itself, one at a time.
/// </summary>
internal sealed class LocalBargeIn(Playout playout, INovaConversation session)
{
    private readonly SemaphoreSlim _talkedOver = new(0);
    private int _pending;

    /// <summary>No barge-in signalled and not yet done (for tests on fake time: the call has caught up with the clock).</summary>
    internal bool IsIdle => Volatile.Read(ref _pending) == 0;

    /// <summary>The caller started an utterance (on the receive loop): a barge-in follows if stale audio is playing.</summary>
    public void CallerStartedTalking()
    {
        if (playout.IsPlayingStaleAudio(session.IsHandingOff))
        {
            Interlocked.Increment(ref _pending);
            _talkedOver.Release();
        }
    }

    /// <summary>Interrupts, with <paramref name="bargeIn"/>, each time the caller talked over stale audio, until cancelled.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> bargeIn, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _talkedOver.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await bargeIn(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
