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

    [Fact]
    public async Task Keeps_no_buffer_between_batches()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);
        Assert.Equal(0, stream.RentedBytes);

        stream.Hold();
        await stream.WriteAsync(new byte[300]);
        Assert.True(stream.RentedBytes >= 300, $"{stream.RentedBytes} bytes rented while holding");
        await stream.ReleaseAsync();
        Assert.Equal(0, stream.RentedBytes);

        stream.Hold();
        await stream.WriteAsync(new byte[10_000]);
        await stream.WriteAsync(new byte[5_000]);
        await stream.ReleaseAsync();
        Assert.Equal(0, stream.RentedBytes);
        Assert.Equal([300, 15_000], inner.Writes.Select(w => w.Length));
    }

    [Fact]
    public async Task Writes_held_while_the_last_batch_is_still_being_written_leave_next_in_order()
    {
        var inner = new GatedStream();
        await using var stream = new CoalescingStream(inner);

        stream.Hold();
        await stream.WriteAsync(new byte[] { 1, 2 });
        var first = stream.ReleaseAsync();
        await inner.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        stream.Hold();
        await stream.WriteAsync(new byte[] { 3 });
        Assert.Equal([1, 2], inner.Pending);
        inner.Gate.SetResult();
        await first;
        await stream.ReleaseAsync();

        Assert.Equal([new byte[] { 1, 2 }, new byte[] { 3 }], inner.Writes);
        Assert.Equal(0, stream.RentedBytes);
    }

    [Fact]
    public async Task A_batch_whose_write_fails_or_that_is_never_released_gives_its_buffer_back()
    {
        var failing = new CoalescingStream(new FailingStream());
        failing.Hold();
        await failing.WriteAsync(new byte[100]);
        await Assert.ThrowsAsync<IOException>(async () => await failing.ReleaseAsync());
        Assert.Equal(0, failing.RentedBytes);

        var abandoned = new CoalescingStream(new RecordingStream());
        abandoned.Hold();
        await abandoned.WriteAsync(new byte[100]);
        await abandoned.DisposeAsync();
        Assert.Equal(0, abandoned.RentedBytes);
        abandoned.Hold();
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(async () => await abandoned.WriteAsync(new byte[1]));
        Assert.Equal(0, abandoned.RentedBytes);
    }

    private sealed class GatedStream : MemoryStream
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[] Pending { get; private set; } = [];

        public List<byte[]> Writes { get; } = [];

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Pending = buffer.ToArray();
            Started.TrySetResult();
            await Gate.Task;
            // Read again after the wait: a buffer reused meanwhile would show here.
            Writes.Add(buffer.ToArray());
        }
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("connection reset"));
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
