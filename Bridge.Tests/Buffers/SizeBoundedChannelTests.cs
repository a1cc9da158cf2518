using System.Threading.Channels;
using Bridge.Buffers;

namespace Bridge.Tests.Buffers;

public sealed class SizeBoundedChannelTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly SizeBoundedChannel<byte[]> _channel = new(capacityBytes: 1000, sizeOf: item => item.Length);

    [Fact]
    public async Task A_writer_waits_while_the_items_queued_hold_the_capacity_and_goes_on_when_one_is_read()
    {
        Assert.True(await _channel.WriteAsync(new byte[600], CancellationToken.None));
        Assert.True(await _channel.WriteAsync(new byte[400], CancellationToken.None));

        var third = _channel.WriteAsync(new byte[300], CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        Assert.Equal(1000, _channel.QueuedBytes);

        Assert.True(_channel.Reader.TryRead(out var first));
        Assert.Equal(600, first.Length);

        Assert.True(await third.WaitAsync(Wait));
        Assert.Equal(700, _channel.QueuedBytes);
    }

    [Fact]
    public async Task Items_come_out_in_the_order_they_went_in_whatever_the_waits()
    {
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await _channel.WriteAsync(new byte[37 + i % 300], CancellationToken.None);
            }
            _channel.TryComplete();
        });

        var lengths = new List<int>();
        await foreach (var item in _channel.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(Wait).Token))
        {
            Assert.True(_channel.QueuedBytes <= _channel.CapacityBytes, $"{_channel.QueuedBytes} bytes queued");
            lengths.Add(item.Length);
        }
        await writer;

        Assert.Equal(Enumerable.Range(0, 200).Select(i => 37 + i % 300), lengths);
        Assert.Equal(0, _channel.QueuedBytes);
    }

    [Fact]
    public async Task An_item_larger_than_the_capacity_passes_alone()
    {
        Assert.True(await _channel.WriteAsync(new byte[10], CancellationToken.None));
        var large = _channel.WriteAsync(new byte[5000], CancellationToken.None).AsTask();
        Assert.False(large.IsCompleted);

        _channel.Reader.TryRead(out _);

        Assert.True(await large.WaitAsync(Wait));
        Assert.Equal(5000, _channel.QueuedBytes);
    }

    [Fact]
    public async Task Completing_the_channel_releases_a_waiting_writer_and_the_reader_gets_what_was_queued_then_the_error()
    {
        await _channel.WriteAsync(new byte[1000], CancellationToken.None);
        var waiting = _channel.WriteAsync(new byte[1], CancellationToken.None).AsTask();

        _channel.TryComplete(new InvalidOperationException("the stream broke"));

        Assert.False(await waiting.WaitAsync(Wait));
        Assert.True(_channel.Reader.TryRead(out var queued));
        Assert.Equal(1000, queued.Length);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _channel.Reader.Completion.WaitAsync(Wait));
        Assert.Equal("the stream broke", error.Message);
    }

    [Fact]
    public async Task A_waiting_writer_can_be_cancelled()
    {
        await _channel.WriteAsync(new byte[1000], CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = _channel.WriteAsync(new byte[1], cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Wait));
        Assert.Equal(1, _channel.Reader.Count);
    }

    [Fact]
    public void The_reader_is_an_ordinary_channel_reader()
    {
        ChannelReader<byte[]> reader = _channel.Reader;

        Assert.True(reader.CanCount);
        Assert.True(reader.CanPeek);
        Assert.False(reader.TryPeek(out _));
        Assert.False(reader.TryRead(out _));
    }
}
