namespace Bridge.Buffers;

/// <summary>
/// A connection's stream that can hold what is written to it and write it out in one go. A WebSocket writes each
/// frame to its stream as it is sent; the side that sends several frames at once (the worker's media and mark for a
/// 20 ms tick, the Twilio stand-in's caller frame and the marks it echoes) holds the stream meanwhile, so that the
/// frames, unchanged, leave in one write: one system call, one TCP segment and one wake-up of the peer instead of two
/// or three. Writes that come while nothing is held (the handshake, a pong, a close) go straight through, in order:
/// the WebSocket sends one frame at a time and a write here returns once it is written or held.
/// The buffer that holds a batch is rented from the shared pool when the first write is held and returned once the
/// batch is written: a connection keeps no buffer between batches (every call has one of these, and a batch lasts
/// microseconds of its 20 ms tick).
/// </summary>
public sealed class CoalescingStream(Stream inner) : Stream
{
    private const int InitialBufferBytes = 4096;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private byte[]? _held;
    private int _heldCount;
    private bool _holding;
    private bool _disposed;

    /// <summary>Bytes of buffer rented now: 0 unless a batch is being held or written.</summary>
    internal int RentedBytes { get; private set; }

    /// <summary>From now on writes are held until <see cref="ReleaseAsync"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            // Once disposed, nothing is held (it would never be released): writes fail on the inner stream instead.
            _holding = !_disposed;
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
                ReturnBuffer(TakeHeld());
            }
            throw;
        }
        byte[]? batch = null;
        try
        {
            int count;
            lock (_gate)
            {
                _holding = false;
                count = _heldCount;
                batch = TakeHeld();
            }
            if (count > 0)
            {
                // Writes held meanwhile (the next tick's) go to a buffer of their own.
                await inner.WriteAsync(batch.AsMemory(0, count), cancellationToken);
            }
        }
        finally
        {
            lock (_gate)
            {
                ReturnBuffer(batch);
            }
            _writing.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_holding)
            {
                var held = Room(buffer.Length);
                buffer.Span.CopyTo(held.AsSpan(_heldCount));
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

    /// <summary>The held buffer, rented or grown so that <paramref name="more"/> bytes fit. Under the gate.</summary>
    private byte[] Room(int more)
    {
        var needed = _heldCount + more;
        if (_held is { } held && held.Length >= needed)
        {
            return held;
        }
        var larger = RentedBuffers.Rent<byte>(Math.Max(needed, Math.Max(InitialBufferBytes, 2 * (_held?.Length ?? 0))));
        RentedBytes += larger.Length;
        if (_held is { } old)
        {
            old.AsSpan(0, _heldCount).CopyTo(larger);
            ReturnBuffer(old);
        }
        return _held = larger;
    }

    /// <summary>The batch held so far (null when nothing was written), which the caller returns. Under the gate.</summary>
    private byte[]? TakeHeld()
    {
        var held = _held;
        (_held, _heldCount) = (null, 0);
        return held;
    }

    /// <summary>Under the gate.</summary>
    private void ReturnBuffer(byte[]? buffer)
    {
        if (buffer is null)
        {
            return;
        }
        RentedBytes -= buffer.Length;
        RentedBuffers.Return(buffer);
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
            DropHeld();
            _writing.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        DropHeld();
        _writing.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A batch held and never released goes back to the pool with the connection.</summary>
    private void DropHeld()
    {
        lock (_gate)
        {
            _disposed = true;
            _holding = false;
            ReturnBuffer(TakeHeld());
        }
    }
}
