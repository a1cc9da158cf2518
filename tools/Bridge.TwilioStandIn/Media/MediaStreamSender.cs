using System.Net.WebSockets;
using Bridge.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// Sends what Twilio's side of the stream queues, in order, as JSON text frames: a caller frame's audio is read
/// from <see cref="CallerAudio"/> when its turn comes. Counts what went out; <see cref="Started"/> completes once
/// <c>start</c> is on the wire (or sending failed).
/// </summary>
internal sealed class MediaStreamSender
{
    private readonly WebSocket _socket;
    private readonly StreamStart _stream;
    private readonly CallerAudio _audio;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMediaStreamObserver? _observer;
    private readonly TwilioMessageWriter _writer;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new() { SingleReader = true });
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long _framesSent;
    private int _dtmfSent;
    private int _marksEchoed;

    private readonly CoalescingStream? _connection;

    public MediaStreamSender(WebSocket socket, StreamStart stream, CallerAudio audio, TimeProvider time, ILogger logger, IMediaStreamObserver? observer,
        CoalescingStream? connection = null)
    {
        _connection = connection;
        _socket = socket;
        _stream = stream;
        _audio = audio;
        _time = time;
        _logger = logger;
        _observer = observer;
        _writer = new TwilioMessageWriter(stream);
    }

    public Task Started => _started.Task;

    public long FramesSent => Interlocked.Read(ref _framesSent);

    public int DtmfSent => Volatile.Read(ref _dtmfSent);

    public int MarksEchoed => Volatile.Read(ref _marksEchoed);

    public void Post(Outbound message) => _outbound.Writer.TryWrite(message);

    /// <summary>Nothing more will be queued; the send loop ends once the queue is sent.</summary>
    public void Complete() => _outbound.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        long sequenceNumber = 0;
        var frame = new byte[CallerAudio.FrameBytes];
        try
        {
            // What is queued together (a tick's caller frame and the marks it echoes) leaves in one write.
            while (await _outbound.Reader.WaitToReadAsync(cancellationToken))
            {
                _connection?.Hold();
                try
                {
                    while (_outbound.Reader.TryRead(out var message))
                    {
                        // Every message but connected carries the next sequence number.
                        var number = message.Kind == OutboundKind.Connected ? sequenceNumber : ++sequenceNumber;
                        await SendAsync(message, frame, number, cancellationToken);
                    }
                }
                finally
                {
                    if (_connection is not null)
                    {
                        await _connection.ReleaseAsync(CancellationToken.None);
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            MediaStreamLog.SendFailed(_logger, _stream.CallSid, e.Message);
            while (_outbound.Reader.TryRead(out _))
            {
            }
        }
        finally
        {
            _started.TrySetResult();
        }
    }

    private async ValueTask SendAsync(Outbound message, byte[] frame, long sequenceNumber, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> json;
        switch (message.Kind)
        {
            case OutboundKind.Connected:
                json = _writer.Connected();
                break;
            case OutboundKind.Start:
                json = _writer.Start(sequenceNumber);
                break;
            case OutboundKind.Media:
                _audio.ReadFrame(message.Chunk - 1, frame);
                json = _writer.Media(sequenceNumber, message.Chunk, message.TimestampMs, frame);
                _observer?.CallerFrameSent(message.Chunk, _time.GetTimestamp());
                break;
            case OutboundKind.Dtmf:
                json = _writer.Dtmf(sequenceNumber, message.Digit);
                break;
            case OutboundKind.Mark:
                json = _writer.Mark(sequenceNumber, message.Name!);
                break;
            default:
                json = _writer.Stop(sequenceNumber);
                break;
        }

        if (_socket.State != WebSocketState.Open)
        {
            return; // the server closed: nothing more can be sent, but the queue must drain
        }
        await _socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        Count(message.Kind);
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
}
