using Bridge.NovaSonic;

namespace Bridge.Tests.NovaSonic;

/// <summary>
/// A model that outruns the reader: the session's event queue is bounded by what its events hold, so the session reads
/// the stream no further (the real stream's queue, then HTTP/2 flow control, hold the model back) — and loses nothing.
/// </summary>
public sealed class NovaSonicSessionBackPressureTests
{
    private const int EventBytes = 8_000; // 250 ms of 16 kHz speech per event
    private const int Events = 40;

    private readonly ScriptedNovaModel _model = new();

    [Fact]
    public async Task A_reader_that_falls_behind_holds_the_model_back_and_then_gets_everything_in_order()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);
        for (var i = 0; i < Events; i++)
        {
            first.Speaks(EventBytes / sizeof(short));
        }
        first.Says(new NovaBargeIn());

        // 64 KiB holds eight such events; the session then holds the ninth, waiting for room, and reads no further.
        var queued = NovaSonicSession.EventQueueBytes / EventBytes;
        await ConditionAsync(() => session.Events.Count == queued && first.Unread == Events + 1 - queued - 1);
        Assert.Equal(queued, session.Events.Count);

        var read = new List<NovaOutputEvent>();
        using var timeout = new CancellationTokenSource(ScriptedNovaModel.Wait);
        while (read.Count < Events + 1 && await session.Events.WaitToReadAsync(timeout.Token))
        {
            while (session.Events.TryRead(out var output))
            {
                read.Add(output);
            }
        }

        Assert.Equal(Events, read.Count(e => e is NovaAudioOutput { Pcm.Length: EventBytes }));
        Assert.IsType<NovaBargeIn>(read[^1]);
    }

    [Fact]
    public async Task Disposing_a_session_nobody_reads_any_more_does_not_wait_for_room_that_never_comes()
    {
        var session = _model.StartSession();
        var first = await _model.Stream(1);
        for (var i = 0; i < Events; i++)
        {
            first.Speaks(EventBytes / sizeof(short));
        }
        await ConditionAsync(() => session.Events.Count == NovaSonicSession.EventQueueBytes / EventBytes);

        await session.DisposeAsync().AsTask().WaitAsync(ScriptedNovaModel.Wait);

        // Closed in order, and the stream was drained to its end (what nobody would read was dropped).
        Assert.True(first.Closed);
        Assert.Equal(0, first.Unread);
    }

    /// <summary>Waits for a state the session reaches on its own thread (a bounded wait, not a measure of time).</summary>
    private static async Task ConditionAsync(Func<bool> reached)
    {
        using var timeout = new CancellationTokenSource(ScriptedNovaModel.Wait);
        while (!reached())
        {
            await Task.Delay(1, timeout.Token);
        }
    }
}
