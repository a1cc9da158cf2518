using Bridge.Audio;
using Bridge.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Bridge.TwilioMedia;

/// <summary>
/// One Twilio media stream over a WebSocket: reads <c>connected</c> and <c>start</c>, then feeds a listener every
/// frame until <c>stop</c> or the socket closes; sends media, marks and clear, and knows from the marks Twilio echoes
/// how much the caller has heard (<see cref="Playback"/>). Text frames only, bounded in size; anything malformed ends
/// the stream with a <see cref="TwilioStreamClosedException"/> naming the reason. It owns the socket, so it completes
/// the closing handshake: when Twilio sends <c>stop</c> or its close, the stream answers with its own close at once
/// and waits (briefly) for Twilio's, as SignalR's WebSocket transport does. Given the socket's connection as a
/// <see cref="CoalescingStream"/>, it sends a piece of audio and its mark in one write. Knows nothing of the model on
/// the other side.
/// </summary>
public sealed class TwilioMediaStream : ITwilioMediaStream, IAsyncDisposable
{
    /// <summary>20 ms at 8 kHz µ-law. Twilio's frames are this size; a payload buffer twice as large leaves room.</summary>
    public const int FrameBytes = TelephoneFrame.Samples;

    /// <summary>
    /// The receive buffer every stream keeps. Twilio's messages are about 0.4 KB (a media frame's 160 bytes in base64
    /// and its JSON); a larger one (a <c>start</c> with many custom parameters) is assembled in a buffer rented up to
    /// <see cref="TwilioStreamOptions.MaxMessageBytes"/> for that message only.
    /// </summary>
    internal const int ReceiveBufferBytes = 1024;

    private static readonly TimeSpan PeerCloseTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A close frame's payload is at most 125 bytes, two of them the status.</summary>
    private const int MaxCloseReasonBytes = 123;

    private readonly WebSocket _socket;
    private readonly CoalescingStream? _connection;
    private readonly TwilioStreamOptions _options;
    private readonly TwilioFrameParser _parser = new();
    private readonly byte[] _receiveBuffer;
    private byte[]? _largeMessage;
    private readonly byte[] _payload = new byte[4 * FrameBytes];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _playbackLock = new();
    private readonly PlaybackTracker _playback = new();
    private TwilioFrameWriter? _writer;
    private Task? _closing;

    /// <param name="connection">The stream under <paramref name="socket"/>, if it can hold writes: the media and mark
    /// frames then leave in one write (one system call and one wake-up of Twilio instead of two), the frames unchanged.</param>
    public TwilioMediaStream(WebSocket socket, TwilioStreamOptions options, TimeProvider time, CoalescingStream? connection = null)
    {
        _socket = socket;
        _connection = connection;
        _options = options;
        _receiveBuffer = RentedBuffers.Rent<byte>(Math.Min(ReceiveBufferBytes, options.MaxMessageBytes));
        InboundTiming = new InboundTimingMonitor(options.LateFrameThreshold, time);
    }

    public TwilioStartInfo? Start { get; private set; }

    /// <summary>Bytes of receive buffer the stream holds now: the small one, and a large message's while it is read.</summary>
    internal int ReceiveBufferBytesHeld => _receiveBuffer.Length + (_largeMessage?.Length ?? 0);

    /// <summary>Gaps, loss, lateness and jitter of the caller's frames so far; read it once the stream has ended.</summary>
    public InboundTimingMonitor InboundTiming { get; }

    /// <inheritdoc />
    public PlaybackPosition Playback
    {
        get
        {
            lock (_playbackLock)
            {
                return new PlaybackPosition(_playback.SentBytes, _playback.HeardBytes, _playback.FlushedBytes);
            }
        }
    }

    /// <summary>
    /// Reads <c>connected</c> (optional, as Twilio may omit it on reconnects) then <c>start</c>; null when
    /// <paramref name="giveUp"/> fires first (a start timeout: the caller decides what to tell Twilio).
    /// </summary>
    public async Task<TwilioStartInfo?> ReadStartAsync(CancellationToken giveUp, CancellationToken aborted)
    {
        // Giving up is not a cancellation of the read: cancelling a pending receive aborts the socket, and the close
        // status Twilio should see would be lost.
        var reading = ReadConnectedAndStartAsync(aborted);
        var gaveUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (giveUp.Register(() => gaveUp.TrySetResult()))
        {
            if (await Task.WhenAny(reading, gaveUp.Task) == reading)
            {
                return await reading;
            }
        }
        // The read ends when the socket is closed; its outcome no longer matters.
        _ = reading.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        aborted.ThrowIfCancellationRequested();
        return null;
    }

    private async Task<TwilioStartInfo> ReadConnectedAndStartAsync(CancellationToken cancellationToken)
    {
        var connected = false;
        while (true)
        {
            var length = await ReceiveMessageAsync(cancellationToken)
                ?? throw new TwilioStreamClosedException(WebSocketCloseStatus.ProtocolError, "the socket closed before start");
            var frame = Parse(length);
            switch (frame.Event)
            {
                case TwilioEventKind.Connected when !connected:
                    connected = true;
                    continue;
                case TwilioEventKind.Connected:
                    // Twilio sends it once: a socket repeating it would keep the parser busy until the start timeout.
                    throw new TwilioStreamClosedException(WebSocketCloseStatus.ProtocolError, "a second connected before start");
                case TwilioEventKind.Start:
                    Start = frame.Start!;
                    _writer = new TwilioFrameWriter(Start.StreamSid);
                    return Start;
                default:
                    throw new TwilioStreamClosedException(WebSocketCloseStatus.ProtocolError, $"{frame.Event} arrived before start");
            }
        }
    }

    /// <summary>
    /// Feeds the listener until Twilio sends <c>stop</c> (returns true) or closes the socket (returns false).
    /// </summary>
    public async Task<bool> RunAsync(ITwilioStreamListener listener, CancellationToken cancellationToken)
    {
        if (Start is null)
        {
            throw new InvalidOperationException("ReadStartAsync must succeed first.");
        }
        while (await ReceiveMessageAsync(cancellationToken) is { } length)
        {
            if (!listener.AcceptMessage())
            {
                // A flood the call is closing: parsing it would be the cost the limit is there to stop.
                ReturnLargeMessage();
                continue;
            }
            var frame = Parse(length);
            switch (frame.Event)
            {
                case TwilioEventKind.Media:
                    listener.OnCallerAudio(_payload.AsSpan(0, frame.PayloadLength), InboundTiming.Observe(frame.MediaTimestamp));
                    break;
                case TwilioEventKind.Dtmf:
                    listener.OnDtmf(frame.Digit);
                    break;
                case TwilioEventKind.Mark when frame.Mark is { } mark:
                    listener.OnPlayback(MarkEchoed(mark, out var advanced), advanced);
                    break;
                case TwilioEventKind.Stop:
                    // Twilio closes the socket next: answer it as soon as it does.
                    _closing = CompleteCloseAsync(WebSocketCloseStatus.NormalClosure, "the call ended");
                    return true;
                case TwilioEventKind.Start:
                    throw new TwilioStreamClosedException(WebSocketCloseStatus.ProtocolError, "a second start on one stream");
                case TwilioEventKind.Connected:
                    throw new TwilioStreamClosedException(WebSocketCloseStatus.ProtocolError, "connected after start");
            }
        }
        _closing = CompleteCloseAsync(WebSocketCloseStatus.NormalClosure, "");
        return false;
    }

    private PlaybackPosition MarkEchoed(PlaybackMark mark, out bool advanced)
    {
        lock (_playbackLock)
        {
            advanced = _playback.MarkEchoed(mark);
            return new PlaybackPosition(_playback.SentBytes, _playback.HeardBytes, _playback.FlushedBytes);
        }
    }

    /// <inheritdoc />
    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
    {
        var writer = Writer();
        PlaybackMark mark;
        lock (_playbackLock)
        {
            mark = _playback.AudioSent(mulaw.Length);
        }
        return SendAudioAsync(writer, mulaw, mark, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAudioAsync(TwilioFrameWriter writer, ReadOnlyMemory<byte> mulaw, PlaybackMark mark, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            _connection?.Hold();
            try
            {
                await _socket.SendAsync(writer.Media(mulaw.Span), WebSocketMessageType.Text, true, cancellationToken);
                await _socket.SendAsync(writer.Mark(mark), WebSocketMessageType.Text, true, cancellationToken);
            }
            finally
            {
                // Released even when a send failed: a close or a pong must not stay held.
                if (_connection is not null)
                {
                    await _connection.ReleaseAsync(cancellationToken);
                }
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends <c>clear</c>: Twilio drops what it has buffered and echoes every pending mark (which then count for nothing).</summary>
    public ValueTask SendClearAsync(CancellationToken cancellationToken)
    {
        var writer = Writer();
        lock (_playbackLock)
        {
            _playback.Cleared();
        }
        return SendClearAsync(writer, cancellationToken);
    }

    private async ValueTask SendClearAsync(TwilioFrameWriter writer, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(writer.Clear(), WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Ends the stream with a status and reason (sent to Twilio, and shown in its debugger).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _sendLock.WaitAsync(cancellationToken);
            try
            {
                await _socket.CloseOutputAsync(status, CloseReason(reason), cancellationToken);
            }
            catch (WebSocketException)
            {
                // The peer is gone: nothing left to tell it.
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }

    /// <summary>
    /// The reason cut to the 123 UTF-8 bytes a close frame holds (RFC 6455 §5.5), never inside a character: the
    /// WebSocket refuses a longer one, and a reason may quote what the peer sent.
    /// </summary>
    internal static string CloseReason(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }
        var length = 0;
        var bytes = 0;
        foreach (var rune in reason.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxCloseReasonBytes)
            {
                break;
            }
            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }
        return reason[..length];
    }

    /// <summary>
    /// Completes the closing handshake if it is not yet (a call that ended without closing the stream gets a normal
    /// close), then releases the socket.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await (_closing ?? CompleteCloseAsync(WebSocketCloseStatus.NormalClosure, "the call ended"));
        RentedBuffers.Return(_receiveBuffer);
        ReturnLargeMessage();
        _sendLock.Dispose();
        _socket.Dispose();
    }

    /// <summary>Our close (unless it went already), then Twilio's: the handshake complete, not a dropped connection.</summary>
    private async Task CompleteCloseAsync(WebSocketCloseStatus status, string reason)
    {
        await CloseAsync(status, reason, CancellationToken.None);
        await AwaitPeerCloseAsync();
    }

    /// <summary>
    /// After our close, Twilio may still be sending audio: disposing then resets the connection, and the reset can
    /// overtake the close frame (Twilio would see a dropped connection, not why). Drops what is left, briefly,
    /// until Twilio's own close arrives.
    /// </summary>
    private async Task AwaitPeerCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseSent)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(PeerCloseTimeout);
        try
        {
            while ((await _socket.ReceiveAsync(_receiveBuffer.AsMemory(), timeout.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // Gone, silent, or another read is still waiting for the close: the socket is released either way.
        }
    }

    private TwilioFrameWriter Writer() =>
        _writer ?? throw new InvalidOperationException("Nothing can be sent before Twilio's start.");

    /// <summary>The message received last (in the receive buffer, or the larger one it needed, which goes back to the pool).</summary>
    private TwilioFrame Parse(int length)
    {
        try
        {
            var error = _parser.Parse((_largeMessage ?? _receiveBuffer).AsSpan(0, length), _payload, out var frame);
            if (error != TwilioProtocolError.None)
            {
                throw new TwilioStreamClosedException(error.CloseStatus(), error.Describe());
            }
            return frame;
        }
        finally
        {
            ReturnLargeMessage();
        }
    }

    private void ReturnLargeMessage()
    {
        if (_largeMessage is { } large)
        {
            _largeMessage = null;
            RentedBuffers.Return(large);
        }
    }

    /// <summary>
    /// One whole text message into the receive buffer, or, when it is longer, into a buffer rented for it up to
    /// <see cref="TwilioStreamOptions.MaxMessageBytes"/>; null when the peer closed.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int?> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = _receiveBuffer;
        var limit = Math.Min(buffer.Length, _options.MaxMessageBytes);
        var length = 0;
        while (true)
        {
            if (length == limit)
            {
                if (limit == _options.MaxMessageBytes)
                {
                    // The buffer is as large as allowed, full, and the message goes on.
                    throw new TwilioStreamClosedException(WebSocketCloseStatus.MessageTooBig, $"a message over {_options.MaxMessageBytes} bytes");
                }
                buffer = LargeMessageBuffer(length);
                limit = _options.MaxMessageBytes;
            }
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer.AsMemory(length, limit - length), cancellationToken);
            }
            catch (WebSocketException e) when (e.WebSocketErrorCode == WebSocketError.Faulted && e.InnerException is null)
            {
                // The WebSocket itself refused a frame (text that is not UTF-8, or bad framing): it has sent its close
                // (1007 or 1002) and aborted the connection. Raised as a protocol error so the call logs why it ended.
                throw new TwilioStreamClosedException(WebSocketCloseStatus.InvalidPayloadData, "a frame the WebSocket refused (text that is not UTF-8, or bad framing)");
            }
            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    return null;
                case WebSocketMessageType.Binary:
                    throw new TwilioStreamClosedException(WebSocketCloseStatus.InvalidMessageType, "a binary frame (Twilio sends text only)");
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                return length;
            }
        }
    }

    /// <summary>A buffer of the largest size allowed holding the <paramref name="received"/> bytes of the message so far.</summary>
    private byte[] LargeMessageBuffer(int received)
    {
        var large = RentedBuffers.Rent<byte>(_options.MaxMessageBytes);
        _receiveBuffer.AsSpan(0, received).CopyTo(large);
        _largeMessage = large;
        return large;
    }
}
