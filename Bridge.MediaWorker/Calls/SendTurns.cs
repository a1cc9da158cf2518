namespace Bridge.MediaWorker.Calls;

/// <summary>
/// One send to Twilio at a time. Whoever made a send possible (the model pump after queueing, a mark echo that made
/// room) sends on its own thread, unless a send is under way: the sender loop is then woken, and looks again once
/// that send is done. Waking the sender every time cost a thread-pool hop each (docs/benchmarks.md, issue 18 round 6).
/// A clear takes a turn too, so that nothing is sent between dropping the queue and Twilio's <c>clear</c>.
/// </summary>
internal sealed class SendTurns(Func<CancellationToken, Task> sendWhilePlaybackAllows) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly WakeSignal _wake = new();
    private bool _failed;

    /// <summary>The sender loop's token: sends started where they became possible end with the call.</summary>
    public CancellationToken CallEnding { get; private set; }

    /// <summary>No send under way and none waiting for the sender.</summary>
    public bool AreIdle => _turn.CurrentCount == 1 && !_wake.IsSet;

    /// <summary>
    /// Sends here, or wakes the sender if a send is under way. A send that fails here fails neither the model's side
    /// nor the receive loop: the stream is broken, nothing more is sent but by the sender, and the stream's receive
    /// side ends the call, as when the sender's own send fails.
    /// </summary>
    public async Task SendHereOrWakeSenderAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _failed) || !_turn.Wait(0))
        {
            _wake.Set();
            return;
        }
        try
        {
            await sendWhilePlaybackAllows(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Volatile.Write(ref _failed, true);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Sends whenever a send could not be made where it became possible, until cancelled; then waits for a send under
    /// way elsewhere to end, so that none outlives the sender. Started before anything else of the call.
    /// </summary>
    public async Task RunSenderAsync(CancellationToken cancellationToken)
    {
        CallEnding = cancellationToken;
        try
        {
            while (true)
            {
                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await sendWhilePlaybackAllows(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _turn.Release();
                }
            }
        }
        finally
        {
            // Kept: nothing is sent once the sender has stopped.
            await _turn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Takes a turn for something other than a send (a clear); <see cref="Release"/> gives it back.</summary>
    public Task TakeAsync(CancellationToken cancellationToken) => _turn.WaitAsync(cancellationToken);

    public void Release() => _turn.Release();

    public void Dispose() => _turn.Dispose();
}
