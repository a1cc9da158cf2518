using Bridge.NovaSonic;

namespace Bridge.Tests.NovaSonic;

public sealed class UtteranceBufferTests
{
    private const int SampleRate = 16_000;

    [Fact]
    public void Gives_back_exactly_what_the_caller_said_in_order()
    {
        var buffer = new UtteranceBuffer(SampleRate, TimeSpan.FromSeconds(3));
        var said = RandomSamples(SampleRate * 2, seed: 1);

        foreach (var piece in said.Chunk(640))
        {
            buffer.Append(piece);
        }

        Assert.Equal(said.Length, buffer.Count);
        Assert.Equal(said, Replayed(buffer));
    }

    [Fact]
    public void Keeps_only_the_last_seconds_when_the_caller_talks_longer()
    {
        var capacity = SampleRate * 3;
        var buffer = new UtteranceBuffer(SampleRate, TimeSpan.FromSeconds(3));
        var said = RandomSamples(SampleRate * 5 + 123, seed: 2);

        foreach (var piece in said.Chunk(320))
        {
            buffer.Append(piece);
            Assert.True(buffer.RentedSegments <= capacity * 2 / UtteranceBuffer.SegmentBytes + 2, $"{buffer.RentedSegments} segments rented");
        }

        Assert.Equal(capacity, buffer.Count);
        Assert.Equal(said[^capacity..], Replayed(buffer));
    }

    [Fact]
    public void Returns_its_memory_at_each_pause()
    {
        var buffer = new UtteranceBuffer(SampleRate, TimeSpan.FromSeconds(3));
        buffer.Append(RandomSamples(SampleRate, seed: 3));
        // One second is 32,000 bytes of PCM: 7 full segments of 4,096 and one started.
        Assert.Equal(SampleRate * 2 / UtteranceBuffer.SegmentBytes + 1, buffer.RentedSegments);

        buffer.Clear();

        Assert.Equal(0, buffer.RentedSegments);
        Assert.Equal(0, buffer.Count);
        Assert.Empty(Replayed(buffer));
        var next = RandomSamples(800, seed: 4);
        buffer.Append(next);
        Assert.Equal(next, Replayed(buffer));
    }

    [Fact]
    public void Works_with_a_capacity_below_one_segment()
    {
        var buffer = new UtteranceBuffer(8_000, TimeSpan.FromMilliseconds(100));
        var said = RandomSamples(3_000, seed: 5);

        foreach (var piece in said.Chunk(160))
        {
            buffer.Append(piece);
        }

        Assert.Equal(800, buffer.Count);
        Assert.Equal(said[^800..], Replayed(buffer));
    }

    [Fact]
    public void A_handoff_replays_the_utterance_then_what_was_held_then_the_deferred_sends_and_keeps_no_memory()
    {
        var utterance = new UtteranceBuffer(SampleRate, TimeSpan.FromSeconds(3));
        var handoff = new HandoffBuffer(SampleRate);
        var said = RandomSamples(SampleRate, seed: 6);
        var meanwhile = RandomSamples(SampleRate / 2, seed: 7);
        utterance.Append(said);

        utterance.MoveTo(handoff);
        handoff.Append(meanwhile);
        handoff.Defer(stream => stream.SendInteractiveText("The caller pressed 5."));
        Assert.Equal(0, utterance.Count);
        Assert.Equal(said.Length + meanwhile.Length, handoff.BufferedSamples);
        var next = new ScriptedNovaStream(2, []);
        handoff.ReplayInto(next);

        Assert.Equal([.. said, .. meanwhile], next.Audio);
        Assert.Equal(["The caller pressed 5."], next.Texts);
        Assert.Equal(0, handoff.RentedSegments);
        Assert.Equal(0, utterance.RentedSegments);
    }

    [Fact]
    public void A_handoff_holds_at_most_a_minute_and_counts_what_it_dropped()
    {
        var handoff = new HandoffBuffer(8_000);
        var second = RandomSamples(8_000, seed: 8);

        for (var i = 0; i < 61; i++)
        {
            handoff.Append(second);
        }

        Assert.Equal(60 * 8_000, handoff.BufferedSamples);
        Assert.Equal(8_000, handoff.DroppedSamples);
        handoff.Release();
        Assert.Equal(0, handoff.RentedSegments);
    }

    private static short[] Replayed(UtteranceBuffer buffer)
    {
        var handoff = new HandoffBuffer(SampleRate);
        buffer.MoveTo(handoff);
        var stream = new ScriptedNovaStream(2, []);
        handoff.ReplayInto(stream);
        return stream.Audio;
    }

    /// <summary>Any 16-bit values, not only those µ-law can carry: the model's input is PCM and is kept as such.</summary>
    private static short[] RandomSamples(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray();
    }
}
