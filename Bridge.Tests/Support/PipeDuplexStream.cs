using System.IO.Pipelines;

namespace Bridge.Tests.Support;

/// <summary>
/// One end of an in-memory connection: reads from one pipe, writes to the other, and completes both when disposed.
/// With <paramref name="recordWrites"/>, keeps a copy of every write made to it, as the socket would have seen them.
/// </summary>
internal sealed class PipeDuplexStream(PipeReader reader, PipeWriter writer, bool recordWrites = false) : Stream
{
    private readonly Stream _read = reader.AsStream();
    private readonly Stream _write = writer.AsStream();

    /// <summary>Every write made to this end, in order (empty unless recording).</summary>
    public List<byte[]> Writes { get; } = [];

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _read.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Record(buffer.AsSpan(offset, count));
        _write.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Record(buffer.Span);
        return _write.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _write.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _write.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            reader.Complete();
            writer.Complete();
        }
        base.Dispose(disposing);
    }

    private void Record(ReadOnlySpan<byte> written)
    {
        if (recordWrites)
        {
            Writes.Add(written.ToArray());
        }
    }
}
