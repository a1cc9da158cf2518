using System.Runtime.CompilerServices;

namespace Bridge.MediaWorker.WebSockets;

/// <summary>
/// The upgraded connection under a server WebSocket, watched: every control frame the client sends (a ping is
/// answered inside the WebSocket's receive, unseen by the code above it) takes a token from a bucket of
/// <paramref name="control"/>'s burst refilled at its rate, and every fragment of a message one from
/// <paramref name="fragments"/>' (Twilio never fragments; a flood of empty or one-byte fragments costs the WebSocket a
/// frame's work each, and the call above sees nothing until the message is whole);
/// past either, <paramref name="exceeded"/> runs with the limit's name (it aborts the connection) and the read fails,
/// so the frames that broke the budget are never answered.
/// </summary>
internal sealed class ControlFrameLimitStream(Stream inner, FrameBudget control, FrameBudget fragments, TimeProvider time, Action<string> exceeded) : Stream
{
    public const string ControlFrames = "control-frames";
    public const string Fragments = "fragments";

    private WebSocketFrameScanner _scanner;
    private RateBudget _controlBudget = new(control.PerSecond, control.Burst, time.TimestampFrequency, time.GetTimestamp());
    private RateBudget _fragmentBudget = new(fragments.PerSecond, fragments.Burst, time.TimestampFrequency, time.GetTimestamp());

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Every caller frame comes through here: a read that waits reuses a pooled state machine instead of allocating one.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Observe(buffer.AsSpan(offset, read));
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Observe(ReadOnlySpan<byte> received)
    {
        var controlFrames = _scanner.Scan(received, out var fragmentFrames);
        if (controlFrames == 0 && fragmentFrames == 0)
        {
            return;
        }
        var now = time.GetTimestamp();
        if (!_controlBudget.TryTake(now, controlFrames))
        {
            exceeded(ControlFrames);
            throw new IOException($"more than {control.Burst} WebSocket control frames at once, or {control.PerSecond} a second sustained");
        }
        if (!_fragmentBudget.TryTake(now, fragmentFrames))
        {
            exceeded(Fragments);
            throw new IOException($"more than {fragments.Burst} WebSocket message fragments at once, or {fragments.PerSecond} a second sustained");
        }
    }
}

/// <summary>Frames of one kind a connection may send: <see cref="Burst"/> at once, refilled at <see cref="PerSecond"/>.</summary>
internal readonly record struct FrameBudget(int PerSecond, int Burst);
