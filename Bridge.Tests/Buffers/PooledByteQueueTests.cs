using Bridge.Buffers;

namespace Bridge.Tests.Buffers;

public sealed class PooledByteQueueTests
{
    [Fact]
    public void Audio_comes_out_in_the_order_it_went_in_across_segments()
    {
        using var queue = new PooledByteQueue(capacityBytes: 40_000, segmentBytes: 8000);
        var audio = Enumerable.Range(0, 25_000).Select(i => (byte)(i * 7)).ToArray();
        var output = new List<byte>();
        var buffer = new byte[333];

        queue.Enqueue(audio.AsSpan(0, 9_000));
        output.AddRange(buffer.AsSpan(0, queue.Dequeue(buffer)).ToArray());
        queue.Enqueue(audio.AsSpan(9_000));
        int n;
        while ((n = queue.Dequeue(buffer)) > 0)
        {
            output.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        Assert.Equal(audio, output);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Only_what_fits_under_the_capacity_is_accepted()
    {
        using var queue = new PooledByteQueue(capacityBytes: 1_000, segmentBytes: 8000);

        Assert.Equal(800, queue.Enqueue(new byte[800]));
        Assert.Equal(200, queue.Enqueue(new byte[800]));
        Assert.Equal(0, queue.FreeBytes);
    }

    [Fact]
    public void Clear_drops_everything_queued()
    {
        using var queue = new PooledByteQueue(capacityBytes: 100_000, segmentBytes: 8000);
        queue.Enqueue(new byte[20_000]);

        Assert.Equal(20_000, queue.Clear());
        Assert.Equal(0, queue.Dequeue(new byte[10]));
        Assert.Equal(5, queue.Enqueue([1, 2, 3, 4, 5]));
        var buffer = new byte[10];
        Assert.Equal(5, queue.Dequeue(buffer));
        Assert.Equal([1, 2, 3, 4, 5], buffer[..5]);
    }
}
