using Microsoft.Extensions.DependencyInjection;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class PendingStreamsTests : IDisposable
{
    private readonly ServiceProvider _metrics = TestTelemetry.NewMeters();

    public void Dispose() => _metrics.Dispose();

    private PendingStreams Pool(int maxTotal, int maxPerAddress) =>
        new(Options.Create(new PendingStreamOptions { MaxTotal = maxTotal, MaxPerAddress = maxPerAddress }), _metrics.MeterFactory());

    [Fact]
    public void An_address_holds_at_most_its_share_and_gets_a_place_back_when_one_leaves()
    {
        var pool = Pool(maxTotal: 10, maxPerAddress: 2);

        var first = pool.TryEnter("203.0.113.7");
        var second = pool.TryEnter("203.0.113.7");
        var third = pool.TryEnter("203.0.113.7");
        var other = pool.TryEnter("198.51.100.9");

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(third);
        Assert.NotNull(other);
        first!.Dispose();
        Assert.NotNull(pool.TryEnter("203.0.113.7"));
        Assert.Equal(3, pool.Count);
    }

    [Fact]
    public void A_full_pool_evicts_the_socket_that_has_waited_longest()
    {
        var pool = Pool(maxTotal: 3, maxPerAddress: 3);
        var waiting = Enumerable.Range(1, 3).Select(i => pool.TryEnter($"203.0.113.{i}")!).ToList();

        var newcomer = pool.TryEnter("198.51.100.9");

        Assert.NotNull(newcomer);
        Assert.True(waiting[0].Evicted.IsCancellationRequested);
        Assert.False(waiting[1].Evicted.IsCancellationRequested);
        Assert.Equal(3, pool.Count);
        // The evicted socket's own leaving changes nothing; the others' do.
        waiting[0].Dispose();
        Assert.Equal(3, pool.Count);
        waiting[1].Dispose();
        Assert.Equal(2, pool.Count);
        // Its address has its place back.
        Assert.NotNull(pool.TryEnter("203.0.113.1"));
    }

}
