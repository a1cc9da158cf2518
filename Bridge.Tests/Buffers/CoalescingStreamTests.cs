using Bridge.Buffers;

namespace Bridge.Tests.Buffers;

public sealed class CoalescingStreamTests
{
    [Fact]
    public async Task What_is_written_while_held_leaves_in_one_write_in_order()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        stream.Hold();
        await stream.WriteAsync(new byte[] { 1, 2 });
        await stream.WriteAsync(new byte[] { 3 });
        Assert.Empty(inner.Writes);
        await stream.ReleaseAsync();

        Assert.Equal([new byte[] { 1, 2, 3 }], inner.Writes);
    }

    [Fact]
    public async Task Writes_go_straight_through_when_nothing_is_held_and_an_empty_release_writes_nothing()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        await stream.WriteAsync(new byte[] { 1 });
        stream.Hold();
        await stream.ReleaseAsync();
        await stream.WriteAsync(new byte[] { 2 });

        Assert.Equal([new byte[] { 1 }, new byte[] { 2 }], inner.Writes);
    }

    [Fact]
    public async Task A_batch_larger_than_the_buffer_is_kept_whole()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);
        var large = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();

        stream.Hold();
        await stream.WriteAsync(large.AsMemory(0, 3000));
        await stream.WriteAsync(large.AsMemory(3000));
        await stream.ReleaseAsync();

        Assert.Equal([large], inner.Writes);
    }

    private sealed class RecordingStream : MemoryStream
    {
        public List<byte[]> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }
    }
}
