using System.Net.WebSockets;
using Bridge.NovaSonic;
using Bridge.TwilioMedia;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// How a call ends, from whichever side: the reason (<see cref="CallEndReason"/>) and what Twilio is told — a close
/// status it can act on (its <c>connect-ended</c> apologises after 1011 or 1001), never silence on an open line. Also
/// the endings the call starts itself: a tool's hang-up or transfer once its goodbye has played, and the drain's
/// goodbye with its deadline.
/// </summary>
internal sealed class CallEnding(ITwilioMediaStream stream, INovaConversation session, Playout playout, CallOptions options,
    CallTelemetry telemetry, TimeProvider time, ILogger logger)
{
    /// <summary>How long the model's close, and Twilio's answer to ours, may take.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan EndAfterPlaybackTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan QuietBeforeEnding = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan GoodbyeOnShutdownTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StreamEndAfterTool = TimeSpan.FromSeconds(3);

    private long _lastModelAudioAt;
    private volatile bool _toolEndedCall;
    private volatile bool _goodbyeDeadlinePassed;

    /// <summary>Model audio arrived (a tool's ending waits for the model to go quiet).</summary>
    public void ModelAudioArrived(long at) => Volatile.Write(ref _lastModelAudioAt, at);

    /// <summary>The receive loop ended: the caller's side ended the call (or a tool or the drain did, and Twilio followed).</summary>
    public async Task<CallEndReason> CallerEndedAsync(Task<bool> receive)
    {
        try
        {
            var stopped = await receive.ConfigureAwait(false);
            return _toolEndedCall ? CallEndReason.Tool
                : _goodbyeDeadlinePassed ? CallEndReason.DrainDeadline
                : stopped ? CallEndReason.CallerHungUp : CallEndReason.SocketClosed;
        }
        catch (TwilioStreamClosedException e)
        {
            CallLog.Malformed(logger, e.Message, e.Status);
            telemetry.Error("twilio-protocol");
            await stream.CloseAsync(e.Status, e.Message, CancellationToken.None).ConfigureAwait(false);
            return CallEndReason.MalformedFrame;
        }
        catch (OperationCanceledException)
        {
            // The drain deadline passed and the model did not end the call itself.
            await stream.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "the bridge is shutting down", CancellationToken.None).ConfigureAwait(false);
            return CallEndReason.DrainDeadline;
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            return CallEndReason.SocketLost;
        }
    }

    /// <summary>The model's events ended: the conversation is over, or it failed (Twilio then plays the apology).</summary>
    public async Task<CallEndReason> ModelEndedAsync(Task modelOutput)
    {
        try
        {
            await modelOutput.ConfigureAwait(false);
            await stream.CloseAsync(WebSocketCloseStatus.NormalClosure, "the conversation ended", CancellationToken.None).ConfigureAwait(false);
            return CallEndReason.ModelEnded;
        }
        catch (OperationCanceledException)
        {
            await stream.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "the call was ended by the bridge", CancellationToken.None).ConfigureAwait(false);
            return CallEndReason.EndedByBridge;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CallLog.ModelFailed(logger, e);
            telemetry.Error("model");
            // Twilio then asks the webhook's connect-ended, which apologises: never silence on an open line.
            await stream.CloseAsync(WebSocketCloseStatus.InternalServerError, "the assistant is unavailable", CancellationToken.None).ConfigureAwait(false);
            return CallEndReason.ModelFailed;
        }
    }

    /// <summary>A limit on the call's cost ended it: Twilio is told why (it has already been hung up at the maximum duration).</summary>
    public async Task<CallEndReason> LimitReachedAsync(Task<CallLimitReached> limit)
    {
        var reached = await limit.ConfigureAwait(false);
        telemetry.LimitReached(reached.Limit);
        await stream.CloseAsync(reached.Status, reached.Reason, CancellationToken.None).ConfigureAwait(false);
        return reached.Limit;
    }

    /// <summary>
    /// A tool ends the call: waits until the model has gone quiet and the caller has heard everything (30 s at most),
    /// then acts (hang up, transfer); Twilio then ends the stream itself, and if it does not, the bridge closes it.
    /// </summary>
    public async Task EndAfterPlaybackAsync(Func<CancellationToken, Task> endCall, CancellationToken cancellationToken)
    {
        _toolEndedCall = true;
        var waitingSince = time.GetTimestamp();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100), time);
        while (await poll.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var quiet = time.GetElapsedTime(Volatile.Read(ref _lastModelAudioAt)) >= QuietBeforeEnding;
            if ((playout.IsDrained && quiet) || time.GetElapsedTime(waitingSince) >= EndAfterPlaybackTimeout)
            {
                break;
            }
        }
        try
        {
            await endCall(cancellationToken).ConfigureAwait(false);
            await Task.Delay(StreamEndAfterTool, time, cancellationToken).ConfigureAwait(false);
            await stream.CloseAsync(WebSocketCloseStatus.NormalClosure, "the call was ended by the assistant", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CallLog.EndCallFailed(logger, e);
            telemetry.Error("twilio-rest");
            // Twilio's API failed us: close the stream so Twilio asks the webhook, which apologises.
            await stream.CloseAsync(WebSocketCloseStatus.InternalServerError, "could not end the call through Twilio", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The drain deadline passed: the model is asked to say goodbye; <see cref="CloseAtGoodbyeDeadlineAsync"/> follows.</summary>
    public void SayGoodbyeOnShutdown()
    {
        CallLog.GoodbyeOnShutdown(logger);
        session.SendText(options.GoodbyeOnShutdown);
    }

    /// <summary>
    /// If the model does not end the call itself, the line closes with 1001 and Twilio's connect-ended apologises.
    /// The close goes out while the receive loop still runs, so Twilio's answer ends the loop and the close frame
    /// is not overtaken by a reset; the loop is cancelled only if Twilio does not answer.
    /// </summary>
    public async Task CloseAtGoodbyeDeadlineAsync(CancellationTokenSource lifetime)
    {
        try
        {
            await Task.Delay(GoodbyeOnShutdownTimeout, time, lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _goodbyeDeadlinePassed = true;
        await stream.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "the bridge is shutting down", CancellationToken.None).ConfigureAwait(false);
        try
        {
            await Task.Delay(CloseTimeout, time, lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await lifetime.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Cancelling the receive loop aborts the WebSocket, and with the caller's audio still arriving the reset can
    /// overtake our close frame: let Twilio answer the close first (the loop then ends by itself).
    /// </summary>
    public async Task AwaitCallerCloseAsync(Task receive)
    {
        try
        {
            await receive.WaitAsync(CloseTimeout, time).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A timeout or the loop's own failure: either way the loop is settled by the call.
        }
    }

    /// <summary>Ends the conversation in order (briefly), then releases it.</summary>
    public async Task CloseModelAsync()
    {
        try
        {
            await session.CloseAsync().WaitAsync(CloseTimeout, time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or System.Threading.Channels.ChannelClosedException or InvalidOperationException)
        {
            CallLog.ModelCloseSlow(logger, e.GetType().Name);
        }
        finally
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
