using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Bridge.Buffers;
using Microsoft.Extensions.Logging;

namespace Bridge.Bedrock;

/// <summary>
/// One open bidirectional stream. Input events are framed and signed in order as they are sent; response chunks
/// arrive on <see cref="Chunks"/>, which completes when the response ends, or faults with a
/// <see cref="BedrockStreamException"/>. The input stays open until <see cref="CompleteInput"/> — never on silence.
/// Events that wait unwritten longer than the stall timeout fail the stream as retryable ("inputStalled"): what a
/// stream can queue is bounded by time, and a stuck connection gives way to a new stream. Response chunks are bounded
/// too (<see cref="ResponseQueueBytes"/>): while the reader is behind, the response is read no further, and HTTP/2 flow
/// control holds the service back.
/// </summary>
public sealed class BedrockEventStream : IAsyncDisposable
{
    private const int ResponseReadBytes = 4 * 1024;

    /// <summary>Decoded response chunks (event JSON) queued for the reader, at most: about 24 events of 40 ms of 24 kHz audio.</summary>
    public const int ResponseQueueBytes = 64 * 1024;

    private readonly SignedEventFramer _framer;
    private readonly TimeSpan _stallTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BedrockTelemetry _telemetry;
    // Two readers: the request body, and ReturnUnsentFrames once the stream is over.
    private readonly Channel<OutgoingFrame> _outgoing = Channel.CreateUnbounded<OutgoingFrame>();
    private readonly SizeBoundedChannel<BedrockChunk> _incoming = new(ResponseQueueBytes, chunk => chunk.Payload.Length);
    private readonly TaskCompletionSource _responseStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _sendLock = new();
    private bool _inputEnded;
    private bool _disposed;
    private long _waitingSince;
    private int _queued;
    private int _readBufferHeld;
    private BedrockTransientException? _stalled;
    private Task _run = Task.CompletedTask;

    internal BedrockEventStream(SignedEventFramer framer, TimeSpan stallTimeout, TimeProvider time, ILogger logger, BedrockTelemetry telemetry)
    {
        _framer = framer;
        _stallTimeout = stallTimeout;
        _time = time;
        _logger = logger;
        _telemetry = telemetry;
    }

    /// <summary>Decoded response chunks (each an event's UTF-8 JSON), in order. Bounded: read them, or the response stops.</summary>
    public ChannelReader<BedrockChunk> Chunks => _incoming.Reader;

    /// <summary>Completes when the service has answered 200 and the response stream is open; faults with the typed error otherwise.</summary>
    public Task ResponseStarted => _responseStarted.Task;

    /// <summary>Completes when the response has ended (normally or not) and the stream is finished.</summary>
    public Task Completion => _run;

    /// <summary>Whether a buffer is rented to read the response now: only while what came is being read.</summary>
    internal bool HoldsReadBuffer => Volatile.Read(ref _readBufferHeld) == 1;

    public bool IsInputOpen
    {
        get
        {
            lock (_sendLock)
            {
                return !_inputEnded;
            }
        }
    }

    /// <summary>Frames, signs and queues one event. Returns false when the input has ended or the stream has stalled.</summary>
    public bool Send(ReadOnlySpan<byte> eventJson)
    {
        var buffer = RentedBuffers.Rent<byte>(SignedEventFramer.MaxFramedLength(eventJson.Length));
        lock (_sendLock)
        {
            if (!_inputEnded && !HasStalled())
            {
                var length = _framer.FrameEvent(eventJson, _time.GetUtcNow(), buffer);
                if (_outgoing.Writer.TryWrite(new OutgoingFrame(buffer, length)))
                {
                    if (Interlocked.Increment(ref _queued) == 1)
                    {
                        Volatile.Write(ref _waitingSince, _time.GetTimestamp());
                    }
                    return true;
                }
            }
        }
        RentedBuffers.Return(buffer);
        return false;
    }

    /// <summary>Under the send lock: true (and the stream failing) when queued events have waited too long.</summary>
    private bool HasStalled()
    {
        var waiting = Volatile.Read(ref _queued);
        if (_stalled is null && waiting > 0 && _time.GetElapsedTime(Volatile.Read(ref _waitingSince)) > _stallTimeout)
        {
            _stalled = new BedrockTransientException("inputStalled",
                $"{waiting} events waited more than {_stallTimeout.TotalSeconds:0.###} s to be written to the stream");
            _inputEnded = true;
            _outgoing.Writer.TryComplete();
            _ = _abort.CancelAsync();
        }
        return _stalled is not null;
    }

    private void FrameTaken()
    {
        Volatile.Write(ref _waitingSince, _time.GetTimestamp());
        Interlocked.Decrement(ref _queued);
    }

    /// <summary>Sends the empty signed message that ends the input; the response then finishes on its own.</summary>
    public void CompleteInput()
    {
        lock (_sendLock)
        {
            if (_inputEnded)
            {
                return;
            }
            _inputEnded = true;
            var buffer = RentedBuffers.Rent<byte>(SignedEventFramer.EndOfInputLength);
            var length = _framer.FrameEndOfInput(_time.GetUtcNow(), buffer);
            _outgoing.Writer.TryWrite(new OutgoingFrame(buffer, length));
            _outgoing.Writer.TryComplete();
        }
    }

    internal void Start(HttpMessageInvoker http, HttpRequestMessage request)
    {
        Volatile.Write(ref _waitingSince, _time.GetTimestamp());
        request.Content = new EventStreamRequestContent(_outgoing.Reader, FrameTaken);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.amazon.eventstream");
        _telemetry.RequestStarted();
        _run = RunAsync(http, request);
    }

    private async Task RunAsync(HttpMessageInvoker http, HttpRequestMessage request)
    {
        await Task.Yield();
        HttpResponseMessage? response = null;
        var sentAt = _time.GetTimestamp();
        try
        {
            response = await http.SendAsync(request, _abort.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw await ErrorFromResponseAsync(response).ConfigureAwait(false);
            }
            _telemetry.Opened(_time.GetElapsedTime(sentAt));
            _responseStarted.TrySetResult();
            Log.StreamOpened(_logger, request.RequestUri!.AbsolutePath, response.Version);

            var body = await response.Content.ReadAsStreamAsync(_abort.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                await ReadResponseAsync(body).ConfigureAwait(false);
            }
            _incoming.TryComplete();
            _responseStarted.TrySetResult();
        }
        catch (BedrockStreamException failure)
        {
            Fail(failure);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            if (StallFailure() is { } stalled)
            {
                Fail(stalled);
            }
            else
            {
                _responseStarted.TrySetCanceled();
                _incoming.TryComplete();
            }
        }
        catch (Amazon.Runtime.EventStreams.EventStreamChecksumFailureException exception)
        {
            // A frame damaged on the way: nothing says the next stream will be.
            Fail(new BedrockTransientException("corruptFrame", exception.Message, exception));
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or HttpProtocolException or OperationCanceledException)
        {
            Fail(new BedrockTransientException("connectionError", exception.Message, exception));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Fail(new BedrockStreamException("clientError", exception.Message, isRetryable: false, exception));
        }
        finally
        {
            lock (_sendLock)
            {
                _inputEnded = true;
                _outgoing.Writer.TryComplete();
            }
            response?.Dispose();
            ReturnUnsentFrames();
            _telemetry.RequestFinished();
        }
    }

    /// <summary>Frames queued but never written (the stream failed or was abandoned) go back to the pool.</summary>
    private void ReturnUnsentFrames()
    {
        while (_outgoing.Reader.TryRead(out var frame))
        {
            RentedBuffers.Return(frame.Buffer);
        }
    }

    private async Task ReadResponseAsync(Stream body)
    {
        var decoded = new List<BedrockChunk>();
        using var decoder = new EventStreamResponseDecoder(decoded.Add);
        while (true)
        {
            // The call waits for the model's next event most of its life: it waits without a buffer (HttpClient's
            // response streams complete a zero-byte read when data has come), and rents one only to read what came.
            // The decoder takes a message in as many pieces as it comes, so the buffer is small.
            await body.ReadAsync(Memory<byte>.Empty, _abort.Token).ConfigureAwait(false);
            var buffer = RentedBuffers.Rent<byte>(ResponseReadBytes);
            Volatile.Write(ref _readBufferHeld, 1);
            try
            {
                var read = await body.ReadAsync(buffer, _abort.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }
                decoder.Process(buffer, read);
            }
            finally
            {
                Volatile.Write(ref _readBufferHeld, 0);
                RentedBuffers.Return(buffer);
                // Chunks decoded before an exception message still reach the reader, in order, before the failure.
                await HandOverAsync(decoded).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Queues the chunks for the reader, waiting for room: the response is read no further meanwhile.</summary>
    private async Task HandOverAsync(List<BedrockChunk> decoded)
    {
        foreach (var chunk in decoded)
        {
            await _incoming.WriteAsync(chunk, _abort.Token).ConfigureAwait(false);
        }
        decoded.Clear();
    }

    private BedrockTransientException? StallFailure()
    {
        lock (_sendLock)
        {
            return _stalled;
        }
    }

    private void Fail(BedrockStreamException failure)
    {
        Log.StreamFailed(_logger, failure.ErrorType, failure.IsRetryable, failure.ServiceMessage);
        _telemetry.Failed(failure);
        _responseStarted.TrySetException(failure);
        _incoming.TryComplete(failure);
    }

    private static async Task<BedrockStreamException> ErrorFromResponseAsync(HttpResponseMessage response)
    {
        var errorType = response.Headers.TryGetValues("x-amzn-errortype", out var values) ? values.FirstOrDefault() : null;
        string? message = null;
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (body.Length > 0)
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in json.RootElement.EnumerateObject())
                    {
                        if (property.NameEquals("message") || property.NameEquals("Message"))
                        {
                            message = property.Value.GetString();
                        }
                        else if (errorType is null && property.NameEquals("__type"))
                        {
                            errorType = property.Value.GetString();
                        }
                    }
                }
            }
            catch (JsonException)
            {
                message = System.Text.Encoding.UTF8.GetString(body);
            }
        }
        return BedrockErrorClassifier.FromErrorType(errorType, message ?? $"HTTP {(int)response.StatusCode}", response.StatusCode);
    }

    /// <summary>Abandons the stream at once (no orderly close): the request is reset and the response dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_sendLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _inputEnded = true;
            _outgoing.Writer.TryComplete();
            _framer.Dispose();
        }
        await _abort.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The failure has already been reported through Chunks.
        }
        ReturnUnsentFrames();
        _abort.Dispose();
    }
}
