using System.Buffers;
using System.Net.WebSockets;
using Bridge.Audio;
using Bridge.Buffers;
using Microsoft.Extensions.Logging;

namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// Twilio's side of one bidirectional media stream over an open WebSocket: sends <c>connected</c>, <c>start</c>,
/// then a caller frame every 20 ms of stream time (with <c>dtmf</c> when due), plays what the server sends through
/// a <see cref="PlaybackClock"/>, echoes marks, honours <c>clear</c>, and ends with <c>stop</c> when the caller hangs
/// up — or stops when the server closes the socket. All timing comes from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class MediaStreamSession
{
    private static readonly TimeSpan FrameTime = TelephoneFrame.Duration;
    private static readonly TimeSpan JitterStep = TimeSpan.FromMilliseconds(5);
    private const long MaxMessageBytes = 64L * 1024 * 1024;

    private readonly WebSocket _socket;
    private readonly StreamStart _stream;
    private readonly MediaStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMediaStreamObserver? _observer;
    private readonly MediaStreamSender _sender;
    private readonly StreamPlayback _playback;
    private readonly Lock _gate = new();

    private long _ticks;
    private StreamEnd? _end;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeDescription;

    /// <param name="connection">The socket's connection, when it can hold writes: what one tick sends then leaves in one write.</param>
    public MediaStreamSession(
        WebSocket socket,
        StreamStart stream,
        MediaStreamOptions options,
        TimeProvider time,
        ILogger logger,
        IMediaStreamObserver? observer = null,
        CoalescingStream? connection = null)
    {
        if (options.Speed is <= 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Speed must be above 0 and at most 1000.");
        }
        _socket = socket;
        _stream = stream;
        _options = options;
        _time = time;
        _logger = logger;
        _observer = observer;
        _sender = new MediaStreamSender(socket, stream, options.Audio, time, logger, observer, connection);
        _playback = new StreamPlayback(stream, logger, _sender, options.RecordHeardAudio, options.Listener);
    }

    /// <summary>Completes when the stream has been started (<c>start</c> sent) or could not be.</summary>
    public Task Started => _sender.Started;

    /// <summary>
    /// Runs the stream until the caller hangs up (its audio ended and the line went quiet, the maximum duration,
    /// or <paramref name="hangUp"/> cancelled: <c>stop</c> is sent and the socket closed) or the server closes it.
    /// </summary>
    public async Task<MediaStreamResult> RunAsync(CancellationToken hangUp)
    {
        using var stopTicking = CancellationTokenSource.CreateLinkedTokenSource(hangUp);
        _sender.Post(Outbound.Connected);
        _sender.Post(Outbound.Start);

        // Sending and receiving are never cancelled: they end with the socket, aborted if the server stalls.
        var sending = _sender.RunAsync(CancellationToken.None);
        var receiving = ReceiveLoopAsync(stopTicking);
        await TickLoopAsync(stopTicking.Token);

        bool callerHungUp;
        lock (_gate)
        {
            if (_end is null && hangUp.IsCancellationRequested)
            {
                _end = StreamEnd.CallerHungUp;
                MediaStreamLog.CallerHangsUp(_logger, _stream.CallSid, StreamEnd.CallerHungUp, (FrameTime * _ticks).TotalSeconds);
            }
            callerHungUp = _end is StreamEnd.CallerHungUp or StreamEnd.MaxDuration;
            if (callerHungUp)
            {
                _sender.Post(Outbound.Stop);
            }
            _sender.Complete();
        }

        if (!await CompletesWithin(sending, _options.CloseTimeout))
        {
            _socket.Abort(); // the server stopped reading
        }
        await sending;

        if (callerHungUp && _socket.State == WebSocketState.Open)
        {
            await IgnoreSocketErrors(_socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "call ended", CancellationToken.None));
        }
        else if (_socket.State == WebSocketState.CloseReceived)
        {
            await IgnoreSocketErrors(_socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None));
        }

        // Wait (in real time: this is a network round trip) for the server's close frame.
        if (!await CompletesWithin(receiving, _options.CloseTimeout))
        {
            _socket.Abort();
        }
        await receiving;
        return Result();
    }

    private async Task TickLoopAsync(CancellationToken stop)
    {
        // Timers tick at 1 ms at best: at high speeds one wake-up catches up on every frame due. Delayed frames are
        // released at 5 ms steps of stream time.
        var step = _options.Impairment.Jitter > TimeSpan.Zero ? JitterStep : FrameTime;
        var period = TimeSpan.FromMilliseconds(Math.Max(1, Math.Floor(step.TotalMilliseconds / _options.Speed)));
        var schedule = new CallerFrameSchedule(_options, _sender);
        using var timer = new PeriodicTimer(period, _time);
        var origin = _time.GetTimestamp();

        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = _time.GetElapsedTime(origin) * _options.Speed;
                var due = now.Ticks / FrameTime.Ticks;
                while (_ticks < due)
                {
                    var streamTime = FrameTime * (_ticks + 1);
                    lock (_gate)
                    {
                        if (_end is not null)
                        {
                            return;
                        }
                        _ticks++;
                        schedule.Tick(_ticks, streamTime, now);
                        _playback.Tick();
                        if (CallerHangsUp(streamTime) is { } end)
                        {
                            _end = end;
                            MediaStreamLog.CallerHangsUp(_logger, _stream.CallSid, end, streamTime.TotalSeconds);
                            return;
                        }
                    }
                }
                lock (_gate)
                {
                    schedule.Release(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The server closed the socket, the connection broke, or the caller was cancelled.
        }
    }

    private StreamEnd? CallerHangsUp(TimeSpan streamTime)
    {
        if (streamTime >= _options.MaxDuration)
        {
            return StreamEnd.MaxDuration;
        }
        var clock = _playback.Clock;
        if (streamTime < _options.Audio.Duration || clock.BufferedBytes > 0)
        {
            return null;
        }
        // Tick i plays during [(i + 1) * 20 ms, (i + 2) * 20 ms) of stream time.
        var lastHeardEnd = clock.LastAudioTick < 0 ? TimeSpan.Zero : FrameTime * (clock.LastAudioTick + 2);
        var quietSince = lastHeardEnd > _options.Audio.Duration ? lastHeardEnd : _options.Audio.Duration;
        return streamTime - quietSince >= _options.HangUpAfterQuiet ? StreamEnd.CallerHungUp : null;
    }

    private async Task ReceiveLoopAsync(CancellationTokenSource stopTicking)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.GetMemory(4096), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    lock (_gate)
                    {
                        _closeStatus = _socket.CloseStatus;
                        _closeDescription = _socket.CloseStatusDescription;
                        _end ??= StreamEnd.ServerClosed;
                    }
                    MediaStreamLog.ServerClosed(_logger, _stream.CallSid, _socket.CloseStatus, _socket.CloseStatusDescription);
                    return;
                }

                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxMessageBytes)
                {
                    throw new WebSocketException($"a message longer than {MaxMessageBytes} bytes");
                }
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var timestamp = _time.GetTimestamp();
                var message = result.MessageType == WebSocketMessageType.Binary
                    ? ServerMessage.Binary(buffer.WrittenCount)
                    : ServerMessage.Parse(buffer.WrittenMemory, _stream.StreamSid);
                lock (_gate)
                {
                    _playback.Handle(message);
                    _observer?.ServerMessageHandled(message.Kind, message.Payload, timestamp);
                }
                buffer.ResetWrittenCount();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            lock (_gate)
            {
                if (_end is null)
                {
                    _end = StreamEnd.ConnectionLost;
                    _closeDescription = e.Message;
                    MediaStreamLog.ConnectionLost(_logger, _stream.CallSid, e.Message);
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _end ??= StreamEnd.ConnectionLost;
            }
            await stopTicking.CancelAsync();
        }
    }

    private static async Task<bool> CompletesWithin(Task task, TimeSpan timeout) =>
        await Task.WhenAny(task, Task.Delay(timeout)) == task;

    private static async Task IgnoreSocketErrors(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private MediaStreamResult Result()
    {
        lock (_gate)
        {
            // Tick i plays during [(i + 1) * 20 ms, (i + 2) * 20 ms) of stream time.
            var speechEnd = _options.Audio.SpeechEnd;
            var firstTickAfterSpeech = Math.Max(0, (long)Math.Ceiling(speechEnd / FrameTime) - 1);
            var clock = _playback.Clock;
            return new MediaStreamResult
            {
                End = _end ?? StreamEnd.ConnectionLost,
                CloseStatus = _closeStatus,
                CloseDescription = _closeDescription,
                Duration = FrameTime * _ticks,
                FramesSent = _sender.FramesSent,
                DtmfSent = _sender.DtmfSent,
                MediaMessagesReceived = _playback.MediaReceived,
                AudioBytesReceived = _playback.BytesReceived,
                TimeToFirstAudio = clock.FirstAudioTick is { } first ? FrameTime * (first + 1) : null,
                ReplyLatency = _playback.FirstAudioTickFrom(firstTickAfterSpeech) is { } reply ? FrameTime * (reply + 1) - speechEnd : null,
                HeardAudio = Bytes(clock.PlayedBytes),
                DroppedAudio = Bytes(clock.DroppedBytes),
                UnplayedAudio = Bytes(clock.BufferedBytes),
                Clears = clock.Clears,
                MarksReceived = _playback.MarksReceived,
                MarksEchoed = _sender.MarksEchoed,
                Warnings = _playback.Warnings.ToList(),
                Notes = _playback.Notes.ToList(),
                HeardMuLaw = _playback.HeardMuLaw,
            };
        }
    }

    private static TimeSpan Bytes(long mulawBytes) => TimeSpan.FromSeconds(mulawBytes / (double)TelephoneFrame.SampleRate);
}
