using Bridge.MediaWorker.Calls;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class WakeSignalTests
{
    [Fact]
    public async Task A_wake_up_before_the_wait_completes_it_at_once_and_several_count_as_one()
    {
        var signal = new WakeSignal();

        signal.Set();
        signal.Set();

        Assert.True(signal.IsSet);
        Assert.True(signal.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(signal.IsSet);
        var next = signal.WaitAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        signal.Set();
        await next;
    }

    [Fact]
    public async Task A_waiting_loop_is_woken_every_time_and_the_completion_is_reused()
    {
        var signal = new WakeSignal();
        using var cancel = new CancellationTokenSource();

        for (var i = 0; i < 1000; i++)
        {
            var waiting = signal.WaitAsync(cancel.Token);
            Assert.False(waiting.IsCompleted);
            signal.Set();
            await waiting;
        }
        Assert.False(signal.IsSet);
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_and_the_signal_still_works_afterwards()
    {
        var signal = new WakeSignal();
        using var cancel = new CancellationTokenSource();

        var waiting = signal.WaitAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await signal.WaitAsync(cancel.Token));
        signal.Set();
        await signal.WaitAsync(CancellationToken.None);
    }

    [Fact]
    public void A_second_waiter_is_refused()
    {
        var signal = new WakeSignal();

        _ = signal.WaitAsync(CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => signal.WaitAsync(CancellationToken.None));
    }
}
