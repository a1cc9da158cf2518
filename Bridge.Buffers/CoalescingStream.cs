namespace Bridge.Buffers;

/// <summary>
/// A connection's stream that can hold what is written to it and write it out in one go. A WebSocket writes each
/// frame to its stream as it is sent; the side that sends several frames at once (the worker's media and mark for a
/// 20 ms tick, the Twilio stand-in's caller frame and the marks it echoes) holds the stream meanwhile, so that the
/// frames, unchanged, leave in one write: one system call, one TCP segment and one wake-up of the peer instead of two
/// or three. Writes that come while nothing is held (the handshake, a pong, a close) go straight through, in order:
/// the WebSocket sends one frame at a time and a write here returns once it is written or held.
/// </summary>
public sealed class CoalescingStream(Stream inner) : Stream
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private byte[] _held = new byte[4096];
    private byte[] _spare = new byte[4096];
    private int _heldCount;
    private bool _holding;

    /// <summary>From now on writes are held until <see cref="ReleaseAsync"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _holding = true;
        }
    }

    /// <summary>
    /// Writes what was held, in one write, and stops holding. Cancelled before its turn to write, it stops holding and
    /// drops what was held (whole frames: the connection is being given up, and what follows is still well framed).
    /// </summary>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _writing.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _holding = false;
                _heldCount = 0;
            }
            throw;
        }
        try
        {
            byte[] batch;
            int count;
            lock (_gate)
            {
                _holding = false;
                (batch, count) = (_held, _heldCount);
                (_held, _spare, _heldCount) = (_spare, _held, 0);
            }
            if (count > 0)
            {
                await inner.WriteAsync(batch.AsMemory(0, count), cancellationToken);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_holding)
            {
                if (_held.Length - _heldCount < buffer.Length)
                {
                    Array.Resize(ref _held, Math.Max(_held.Length * 2, _heldCount + buffer.Length));
                }
                buffer.Span.CopyTo(_held.AsSpan(_heldCount));
                _heldCount += buffer.Length;
                return;
            }
        }
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _writing.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        _writing.Dispose();
        await base.DisposeAsync();
    }
}
