using System.Net.WebSockets;
using Bridge.Audio;

namespace Bridge.MediaWorker.Calls;

/// <summary>A limit that ended a call: which (the end reason; its tag names the metric's limit), and the close Twilio is sent.</summary>
public sealed record CallLimitReached(CallEndReason Limit, WebSocketCloseStatus Status, string Reason);

/// <summary>
/// Bounds what one call can cost: its length (<c>Calls:MaxDuration</c>, with the model asked to say goodbye shortly
/// before), a socket that stops sending audio (<c>Calls:InactivityTimeout</c>), and caller audio faster than real
/// time (<c>Calls:MaxCallerAudioAhead</c>: Twilio's frames are made by the call's clock, so a burst after a stall
/// catches up with real time but never runs ahead of it; a stream that does is closed, and what ran ahead never
/// reaches the model), and key presses faster than a phone sends them (each one is a text turn for the model: past
/// <see cref="DtmfBurst"/> at once or <see cref="DtmfPerSecond"/> a second the stream is closed), and messages of any
/// kind faster than Twilio sends them (each one is parsed: past <see cref="MessageBurst"/> at once or
/// <see cref="MessagesPerSecond"/> a second the stream is closed). The call feeds it each message, caller frame and
/// key press and watches it for the limit that ends the call.
/// </summary>
public sealed partial class CallLimits
{
    /// <summary>The goodbye comes this long before the end (a quarter of a shorter call): time for a sentence and a hang-up.</summary>
    private static readonly TimeSpan LongestGoodbye = TimeSpan.FromSeconds(15);

    private readonly CallOptions _options;
    private readonly TimeSpan _maxDuration;
    private readonly long _startedAt;
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, Task>? _hangUp;
    /// <summary>
    /// Key presses a call may send at once. Twilio reports a digit once its tone has ended, and a tone and the pause
    /// after it take 100 ms at the shortest (an autodialler's), so a phone sends at most 10 a second; the burst allows
    /// for frames held back by a network stall.
    /// </summary>
    public const int DtmfBurst = 20;

    /// <summary>Key presses a call may send a second, sustained.</summary>
    public const int DtmfPerSecond = 10;

    /// <summary>
    /// Messages of any kind a call may send a second, sustained. Twilio sends at most 50 media frames (20 ms each, made
    /// by the call's clock), a mark echo per mark the worker sent (one after each playout message, and a message holds
    /// at least a 20 ms frame played in real time: 50 at most; a clear echoes those pending at once, 15 at the default
    /// 300 ms <c>Calls:PlaybackLead</c>), key presses (10 at most) and one <c>stop</c>: about 110. Four hundred is more
    /// than three times that; a flood is cut to a few times a call's own cost. Media frames count too: the audio-ahead
    /// bound counts samples, not messages, and a frame carrying no audio (or one sample) passes it.
    /// </summary>
    public const int MessagesPerSecond = 400;

    /// <summary>
    /// Messages a call may send at once: what Twilio holds back during a network stall (under the 10 s of
    /// <c>Calls:InactivityTimeout</c>, about 1,100 at its most) arrives together, and a clear at the longest
    /// <c>Calls:PlaybackLead</c> (5 s) echoes 250 marks at once.
    /// </summary>
    public const int MessageBurst = 2000;

    private readonly ILogger _logger;
    private readonly long _samplesAhead;
    private readonly TaskCompletionSource<CallLimitReached> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _callerSamples;
    private long _lastAudioAt;
    private RateBudget _dtmf;
    private RateBudget _messages;

    /// <param name="startedAt">When <c>start</c> arrived (a <paramref name="time"/> timestamp): the caller's audio clock starts there.</param>
    /// <param name="hangUp">Ends the call through Twilio at its maximum duration; without it the socket is only closed.</param>
    /// <param name="agentMaxDuration">The call's agent's own limit, if it has one: the shorter of it and <c>Calls:MaxDuration</c> applies.</param>
    public CallLimits(CallOptions options, long startedAt, TimeProvider time, Func<CancellationToken, Task>? hangUp, ILogger logger, TimeSpan? agentMaxDuration = null)
    {
        _options = options;
        _maxDuration = agentMaxDuration is { } agent && agent < options.MaxDuration ? agent : options.MaxDuration;
        _startedAt = startedAt;
        _time = time;
        _hangUp = hangUp;
        _logger = logger;
        _samplesAhead = (long)(options.MaxCallerAudioAhead.TotalSeconds * TelephoneFrame.SampleRate);
        _lastAudioAt = time.GetTimestamp();
        _dtmf = new RateBudget(DtmfPerSecond, DtmfBurst, time.TimestampFrequency, startedAt);
        _messages = new RateBudget(MessagesPerSecond, MessageBurst, time.TimestampFrequency, startedAt);
    }

    /// <summary>The longest the call may last: <c>Calls:MaxDuration</c>, or its agent's limit when that is shorter.</summary>
    public TimeSpan MaxDuration => _maxDuration;

    /// <summary>
    /// A caller frame of <paramref name="samples"/> arrived at <paramref name="receivedAt"/>: true when it may go to the
    /// model; false once the caller's audio has run further ahead of real time than allowed (the call is then ended).
    /// </summary>
    public bool AcceptCallerAudio(int samples, long receivedAt)
    {
        Volatile.Write(ref _lastAudioAt, receivedAt);
        if (_reached.Task.IsCompleted)
        {
            return false;
        }
        var realTime = (long)(_time.GetElapsedTime(_startedAt, receivedAt).TotalSeconds * TelephoneFrame.SampleRate);
        _callerSamples += samples;
        if (_callerSamples <= realTime + _samplesAhead)
        {
            return true;
        }
        var ahead = TimeSpan.FromSeconds((_callerSamples - realTime) / (double)TelephoneFrame.SampleRate);
        Reach(new CallLimitReached(CallEndReason.AudioAhead, WebSocketCloseStatus.PolicyViolation,
            $"caller audio {ahead.TotalSeconds:0.0} s ahead of real time (the limit is {_options.MaxCallerAudioAhead.TotalSeconds:0.#} s)"));
        return false;
    }

    /// <summary>
    /// A message (any event) arrived at <paramref name="receivedAt"/>: true when it may be read; false once the caller
    /// has sent more than <see cref="MessageBurst"/> at once or <see cref="MessagesPerSecond"/> a second, or another limit
    /// has ended the call (the call is then ended, and what comes after is dropped unread). On every message: a few
    /// integer operations, no allocation, no lock (one receive loop per call).
    /// </summary>
    public bool AcceptMessage(long receivedAt)
    {
        if (_reached.Task.IsCompleted)
        {
            return false;
        }
        if (_messages.TryTake(receivedAt))
        {
            return true;
        }
        Reach(new CallLimitReached(CallEndReason.MessageFlood, WebSocketCloseStatus.PolicyViolation,
            $"messages faster than Twilio sends them (more than {MessageBurst} at once or {MessagesPerSecond} a second)"));
        return false;
    }

    /// <summary>
    /// A key press arrived at <paramref name="receivedAt"/>: true when it may go to the model; false once the caller has
    /// sent more than <see cref="DtmfBurst"/> at once or <see cref="DtmfPerSecond"/> a second (the call is then ended).
    /// </summary>
    public bool AcceptDtmf(long receivedAt)
    {
        if (_reached.Task.IsCompleted)
        {
            return false;
        }
        if (_dtmf.TryTake(receivedAt))
        {
            return true;
        }
        Reach(new CallLimitReached(CallEndReason.DtmfFlood, WebSocketCloseStatus.PolicyViolation,
            $"key presses faster than a phone sends them (more than {DtmfBurst} at once or {DtmfPerSecond} a second)"));
        return false;
    }

    /// <summary>
    /// Completes with the limit that ends the call; calls <paramref name="sayGoodbye"/> shortly before its maximum
    /// duration (<see cref="MaxDuration"/>), and at it hangs up through Twilio before completing.
    /// </summary>
    public async Task<CallLimitReached> WatchAsync(Action sayGoodbye, CancellationToken cancellationToken)
    {
        var goodbyeLead = TimeSpan.FromTicks(Math.Min(LongestGoodbye.Ticks, _maxDuration.Ticks / 4));
        var goodbyeDue = true;
        while (!_reached.Task.IsCompleted)
        {
            var sinceStart = _time.GetElapsedTime(_startedAt);
            var quiet = _time.GetElapsedTime(Volatile.Read(ref _lastAudioAt));
            if (sinceStart >= _maxDuration)
            {
                await HangUpAsync(cancellationToken).ConfigureAwait(false);
                Reach(new CallLimitReached(CallEndReason.MaxDuration, WebSocketCloseStatus.NormalClosure,
                    $"the call reached its maximum duration ({_maxDuration})"));
                break;
            }
            if (quiet >= _options.InactivityTimeout)
            {
                Reach(new CallLimitReached(CallEndReason.Inactivity, WebSocketCloseStatus.PolicyViolation,
                    $"no caller audio for {quiet.TotalSeconds:0.#} s"));
                break;
            }
            if (goodbyeDue && sinceStart >= _maxDuration - goodbyeLead)
            {
                goodbyeDue = false;
                LogGoodbye(_maxDuration);
                sayGoodbye();
            }

            var next = Min(_maxDuration - sinceStart, _options.InactivityTimeout - quiet);
            if (goodbyeDue)
            {
                next = Min(next, _maxDuration - goodbyeLead - sinceStart);
            }
            await WaitAsync(next, cancellationToken).ConfigureAwait(false);
        }
        return await _reached.Task.ConfigureAwait(false);
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(Task.Delay(delay, _time, wait.Token), _reached.Task).ConfigureAwait(false);
        // Not CancelAsync: its continuation would leave the timer's thread, and the next wait would be set a little
        // later than computed (under a test's fake clock, after time has moved on past it).
        wait.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task HangUpAsync(CancellationToken cancellationToken)
    {
        if (_hangUp is null)
        {
            return;
        }
        try
        {
            await _hangUp(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The socket closes anyway; Twilio then asks the api's connect-ended, which apologises and hangs up.
            LogHangUpFailed(e);
        }
    }

    private void Reach(CallLimitReached limit)
    {
        if (_reached.TrySetResult(limit))
        {
            LogReached(limit.Limit.Tag(), limit.Reason);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "The call nears its maximum duration ({MaxDuration}): asking the model to say goodbye")]
    private partial void LogGoodbye(TimeSpan maxDuration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ending the call at a limit ({Limit}): {Reason}")]
    private partial void LogReached(string limit, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hanging up through Twilio at the maximum duration failed; closing the stream")]
    private partial void LogHangUpFailed(Exception e);
}
