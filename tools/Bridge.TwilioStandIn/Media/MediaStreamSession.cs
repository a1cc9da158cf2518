using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging;
using Bridge.Audio;

namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// Twilio's side of one bidirectional media stream over an open WebSocket: sends <c>connected</c>, <c>start</c>,
/// then a caller frame every 20 ms of stream time (with <c>dtmf</c> when due), plays what the server sends through
/// a <see cref="PlaybackClock"/>, echoes marks, honours <c>clear</c>, and ends with <c>stop</c> when the caller hangs
/// up — or stops when the server closes the socket. All timing comes from the <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class MediaStreamSession
{
    private static readonly TimeSpan FrameTime = TelephoneFrame.Duration;
    private static readonly TimeSpan JitterStep = TimeSpan.FromMilliseconds(5);
    private const long MaxMessageBytes = 64L * 1024 * 1024;

    /// <summary>Twilio buffers at most 10 minutes of outbound audio.</summary>
    private const long MaxBufferedBytes = 10L * 60 * TelephoneFrame.SampleRate;
    private const int BufferLimitWarning = 31931;

    private readonly WebSocket _socket;
    private readonly StreamStart _stream;
    private readonly MediaStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMediaStreamObserver? _observer;
    private readonly TwilioMessageWriter _writer;
    private readonly PlaybackClock _playback = new();
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new() { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly List<string> _echo = [];
    private readonly List<TwilioWarning> _warnings = [];
    private readonly List<string> _notes = [];
    private readonly HashSet<int> _reportedCodes = [];
    private readonly MemoryStream? _heard;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _marksReceived;
    private int _marksEchoed;
    private long _mediaReceived;
    private long _bytesReceived;
    private long _framesSent;
    private int _dtmfSent;
    private long _ticks;
    private bool _bufferWarned;
    private StreamEnd? _end;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeDescription;

    public MediaStreamSession(
        WebSocket socket,
        StreamStart stream,
        MediaStreamOptions options,
        TimeProvider time,
        ILogger logger,
        IMediaStreamObserver? observer = null)
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
        _writer = new TwilioMessageWriter(stream);
        _heard = options.RecordHeardAudio ? new MemoryStream() : null;
    }

    /// <summary>Completes when the stream has been started (<c>start</c> sent) or could not be.</summary>
    public Task Started => _started.Task;

    /// <summary>
    /// Runs the stream until the caller hangs up (its audio ended and the line went quiet, the maximum duration,
    /// or <paramref name="hangUp"/> cancelled: <c>stop</c> is sent and the socket closed) or the server closes it.
    /// </summary>
    public async Task<MediaStreamResult> RunAsync(CancellationToken hangUp)
    {
        using var stopTicking = CancellationTokenSource.CreateLinkedTokenSource(hangUp);
        _outbound.Writer.TryWrite(Outbound.Connected);
        _outbound.Writer.TryWrite(Outbound.Start);

        // Sending and receiving are never cancelled: they end with the socket, aborted if the server stalls.
        var sending = SendLoopAsync(CancellationToken.None);
        var receiving = ReceiveLoopAsync(stopTicking);
        await TickLoopAsync(stopTicking.Token);

        bool callerHungUp;
        lock (_gate)
        {
            if (_end is null && hangUp.IsCancellationRequested)
            {
                _end = StreamEnd.CallerHungUp;
                LogCallerHangsUp(_logger, _stream.CallSid, StreamEnd.CallerHungUp, (FrameTime * _ticks).TotalSeconds);
            }
            callerHungUp = _end is StreamEnd.CallerHungUp or StreamEnd.MaxDuration;
            if (callerHungUp)
            {
                _outbound.Writer.TryWrite(Outbound.Stop);
            }
            _outbound.Writer.TryComplete();
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
        var random = new Random(_options.Impairment.Seed);
        var held = new Queue<(long Chunk, long TimestampMs, TimeSpan ReleaseAt)>();
        using var timer = new PeriodicTimer(period, _time);
        var origin = _time.GetTimestamp();
        var dtmf = _options.Dtmf.OrderBy(d => d.At).ToList();
        var nextDtmf = 0;
        var heard = new byte[PlaybackClock.FrameBytes];

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
                        if (!_options.Impairment.Drops(_ticks))
                        {
                            held.Enqueue((_ticks, (long)streamTime.TotalMilliseconds, streamTime + _options.Impairment.NextDelay(random)));
                        }
                        ReleaseHeldFrames(held, now);
                        while (nextDtmf < dtmf.Count && dtmf[nextDtmf].At <= streamTime)
                        {
                            _outbound.Writer.TryWrite(Outbound.Dtmf(dtmf[nextDtmf++].Digit));
                        }
                        _playback.Tick(heard, _echo);
                        _heard?.Write(heard);
                        EchoMarks();
                        if (CallerHangsUp(streamTime) is { } end)
                        {
                            _end = end;
                            LogCallerHangsUp(_logger, _stream.CallSid, end, streamTime.TotalSeconds);
                            return;
                        }
                    }
                }
                lock (_gate)
                {
                    ReleaseHeldFrames(held, now);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The server closed the socket, the connection broke, or the caller was cancelled.
        }
    }

    /// <summary>Sends the held caller frames whose time has come, in order (a later frame never overtakes one held longer).</summary>
    private void ReleaseHeldFrames(Queue<(long Chunk, long TimestampMs, TimeSpan ReleaseAt)> held, TimeSpan now)
    {
        while (held.TryPeek(out var frame) && frame.ReleaseAt <= now)
        {
            held.Dequeue();
            _outbound.Writer.TryWrite(Outbound.Media(frame.Chunk, frame.TimestampMs));
        }
    }

    private StreamEnd? CallerHangsUp(TimeSpan streamTime)
    {
        if (streamTime >= _options.MaxDuration)
        {
            return StreamEnd.MaxDuration;
        }
        if (streamTime < _options.Audio.Duration || _playback.BufferedBytes > 0)
        {
            return null;
        }
        // Tick i plays during [(i + 1) * 20 ms, (i + 2) * 20 ms) of stream time.
        var lastHeardEnd = _playback.LastAudioTick < 0 ? TimeSpan.Zero : FrameTime * (_playback.LastAudioTick + 2);
        var quietSince = lastHeardEnd > _options.Audio.Duration ? lastHeardEnd : _options.Audio.Duration;
        return streamTime - quietSince >= _options.HangUpAfterQuiet ? StreamEnd.CallerHungUp : null;
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        long sequenceNumber = 0;
        var frame = new byte[CallerAudio.FrameBytes];
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                ReadOnlyMemory<byte> json;
                switch (message.Kind)
                {
                    case OutboundKind.Connected:
                        json = _writer.Connected();
                        break;
                    case OutboundKind.Start:
                        json = _writer.Start(++sequenceNumber);
                        break;
                    case OutboundKind.Media:
                        _options.Audio.ReadFrame(message.Chunk - 1, frame);
                        json = _writer.Media(++sequenceNumber, message.Chunk, message.TimestampMs, frame);
                        _observer?.CallerFrameSent(message.Chunk, _time.GetTimestamp());
                        break;
                    case OutboundKind.Dtmf:
                        json = _writer.Dtmf(++sequenceNumber, message.Digit);
                        break;
                    case OutboundKind.Mark:
                        json = _writer.Mark(++sequenceNumber, message.Name!);
                        break;
                    default:
                        json = _writer.Stop(++sequenceNumber);
                        break;
                }

                if (_socket.State != WebSocketState.Open)
                {
                    continue; // the server closed: nothing more can be sent, but the queue must drain
                }
                await _socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                Count(message.Kind);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogSendFailed(_logger, _stream.CallSid, e.Message);
            while (_outbound.Reader.TryRead(out _))
            {
            }
        }
        finally
        {
            _started.TrySetResult();
        }
    }

    private void Count(OutboundKind kind)
    {
        switch (kind)
        {
            case OutboundKind.Start:
                _started.TrySetResult();
                break;
            case OutboundKind.Media:
                Interlocked.Increment(ref _framesSent);
                break;
            case OutboundKind.Dtmf:
                Interlocked.Increment(ref _dtmfSent);
                break;
            case OutboundKind.Mark:
                Interlocked.Increment(ref _marksEchoed);
                break;
        }
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
                    LogServerClosed(_logger, _stream.CallSid, _socket.CloseStatus, _socket.CloseStatusDescription);
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
                Handle(message, timestamp);
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
                    LogConnectionLost(_logger, _stream.CallSid, e.Message);
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

    private void Handle(ServerMessage message, long timestamp)
    {
        lock (_gate)
        {
            if (message.Note is { } note && _notes.Count < 100 && !_notes.Contains(note))
            {
                _notes.Add(note);
                LogUndocumentedField(_logger, _stream.CallSid, note);
            }

            switch (message.Kind)
            {
                case ServerMessageKind.Media:
                    _mediaReceived++;
                    _bytesReceived += message.Payload!.Length;
                    _playback.Enqueue(message.Payload);
                    if (_playback.BufferedBytes > MaxBufferedBytes && !_bufferWarned)
                    {
                        _bufferWarned = true;
                        Warn(BufferLimitWarning, "more than 10 minutes of audio buffered (Twilio refuses more)");
                    }
                    break;
                case ServerMessageKind.Mark:
                    _marksReceived++;
                    var now = _playback.Mark(message.MarkName!);
                    if (now)
                    {
                        _echo.Add(message.MarkName!);
                    }
                    LogMark(_logger, _stream.CallSid, message.MarkName!, now ? "nothing buffered: echoed at once" : $"echoed after {_playback.BufferedBytes / 8.0:0} ms of buffered audio");
                    EchoMarks();
                    break;
                case ServerMessageKind.Clear:
                    _playback.Clear(_echo);
                    LogClear(_logger, _stream.CallSid, _echo.Count);
                    EchoMarks();
                    break;
                default:
                    Warn(message.WarningCode, message.Problem!);
                    break;
            }
            _observer?.ServerMessageHandled(message.Kind, message.Payload, timestamp);
        }
    }

    private void Warn(int code, string problem)
    {
        _warnings.Add(new TwilioWarning(code, problem));
        if (_reportedCodes.Add(code))
        {
            LogTwilioWarning(_logger, _stream.CallSid, code, problem);
        }
        else
        {
            LogRepeatedWarning(_logger, _stream.CallSid, code, problem);
        }
    }

    /// <summary>Queues the echo of every mark due; called under the gate so echoes keep their order.</summary>
    private void EchoMarks()
    {
        foreach (var name in _echo)
        {
            _outbound.Writer.TryWrite(Outbound.Mark(name));
            LogMarkEchoed(_logger, _stream.CallSid, name);
        }
        _echo.Clear();
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
            return new MediaStreamResult
            {
                End = _end ?? StreamEnd.ConnectionLost,
                CloseStatus = _closeStatus,
                CloseDescription = _closeDescription,
                Duration = FrameTime * _ticks,
                FramesSent = Interlocked.Read(ref _framesSent),
                DtmfSent = _dtmfSent,
                MediaMessagesReceived = _mediaReceived,
                AudioBytesReceived = _bytesReceived,
                TimeToFirstAudio = _playback.FirstAudioTick is { } first ? FrameTime * (first + 1) : null,
                ReplyLatency = FirstAudioTickFrom(firstTickAfterSpeech) is { } reply ? FrameTime * (reply + 1) - speechEnd : null,
                HeardAudio = Bytes(_playback.PlayedBytes),
                DroppedAudio = Bytes(_playback.DroppedBytes),
                UnplayedAudio = Bytes(_playback.BufferedBytes),
                Clears = _playback.Clears,
                MarksReceived = _marksReceived,
                MarksEchoed = _marksEchoed,
                Warnings = _warnings.ToList(),
                Notes = _notes.ToList(),
                HeardMuLaw = _heard?.ToArray() ?? [],
            };
        }
    }

    private long? FirstAudioTickFrom(long tick)
    {
        if (_heard is null || _heard.Length == 0)
        {
            return null;
        }
        var heard = _heard.GetBuffer().AsSpan(0, (int)_heard.Length);
        var from = (int)Math.Min(tick * PlaybackClock.FrameBytes, heard.Length);
        var index = heard[from..].IndexOfAnyExcept(PlaybackClock.Silence);
        return index < 0 ? null : tick + index / PlaybackClock.FrameBytes;
    }

    private static TimeSpan Bytes(long mulawBytes) => TimeSpan.FromSeconds(mulawBytes / (double)TelephoneFrame.SampleRate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: the caller hangs up ({End}) at {Seconds:0.00} s of stream time")]
    private static partial void LogCallerHangsUp(ILogger logger, string callSid, StreamEnd end, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: the server closed the stream ({Status} {Description})")]
    private static partial void LogServerClosed(ILogger logger, string callSid, WebSocketCloseStatus? status, string? description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the stream's connection broke: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string callSid, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid}: sending failed: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string callSid, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid}: mark {Name} received; {When}")]
    private static partial void LogMark(ILogger logger, string callSid, string name, string when);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid}: mark {Name} echoed")]
    private static partial void LogMarkEchoed(ILogger logger, string callSid, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: clear; {Marks} pending mark(s) echoed at once")]
    private static partial void LogClear(ILogger logger, string callSid, int marks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: Twilio warning {Code}: {Problem} (Twilio ignores the message; its debugger shows this code once per stream)")]
    private static partial void LogTwilioWarning(ILogger logger, string callSid, int code, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: again {Code}: {Problem}")]
    private static partial void LogRepeatedWarning(ILogger logger, string callSid, int code, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: {Note} (Twilio may reject this with 31951)")]
    private static partial void LogUndocumentedField(ILogger logger, string callSid, string note);

    private enum OutboundKind
    {
        Connected,
        Start,
        Media,
        Dtmf,
        Mark,
        Stop,
    }

    private readonly record struct Outbound(OutboundKind Kind, long Chunk = 0, long TimestampMs = 0, char Digit = '\0', string? Name = null)
    {
        public static Outbound Connected => new(OutboundKind.Connected);

        public static Outbound Start => new(OutboundKind.Start);

        public static Outbound Stop => new(OutboundKind.Stop);

        public static Outbound Media(long chunk, long timestampMs) => new(OutboundKind.Media, chunk, timestampMs);

        public static Outbound Dtmf(char digit) => new(OutboundKind.Dtmf, Digit: digit);

        public static Outbound Mark(string name) => new(OutboundKind.Mark, Name: name);
    }
}
