using Bridge.Audio;
using Bridge.MediaWorker.Nova;

namespace Bridge.Tests.MediaWorker.Nova;

public sealed class UtteranceBufferTests
{
    private const int SampleRate = 16_000;

    [Fact]
    public void Gives_back_what_the_caller_said_in_order()
    {
        var buffer = new UtteranceBuffer(SampleRate, TimeSpan.FromSeconds(3));
        var said = PhoneLineSamples(SampleRate * 2, seed: 1);

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
        var said = PhoneLineSamples(SampleRate * 5 + 123, seed: 2);

        foreach (var piece in said.Chunk(320))
        {
            buffer.Append(piece);
            Assert.True(buffer.RentedSegments <= capacity / UtteranceBuffer.SegmentBytes + 2, $"{buffer.RentedSegments} segments rented");
        }

        Assert.Equal(capacity, buffer.Count);
        Assert.Equal(said[^capacity..], Replayed(buffer));
    }

    [Fact]
    public void Returns_its_memory_at_each_pause()
    {
        var buffer = new UtteranceBuffer(SampleRate, TimeSpan.FromSeconds(3));
        buffer.Append(PhoneLineSamples(SampleRate, seed: 3));
        Assert.Equal(SampleRate / UtteranceBuffer.SegmentBytes + 1, buffer.RentedSegments);

        buffer.Clear();

        Assert.Equal(0, buffer.RentedSegments);
        Assert.Equal(0, buffer.Count);
        Assert.Empty(Replayed(buffer));
        var next = PhoneLineSamples(800, seed: 4);
        buffer.Append(next);
        Assert.Equal(next, Replayed(buffer));
    }

    [Fact]
    public void Works_with_a_capacity_below_one_segment()
    {
        var buffer = new UtteranceBuffer(8_000, TimeSpan.FromMilliseconds(100));
        var said = PhoneLineSamples(3_000, seed: 5);

        foreach (var piece in said.Chunk(160))
        {
            buffer.Append(piece);
        }

        Assert.Equal(800, buffer.Count);
        Assert.Equal(said[^800..], Replayed(buffer));
    }

    [Fact]
    public void Pcm_off_the_phone_line_survives_storage_as_mu_law_exactly()
    {
        var buffer = new UtteranceBuffer(8_000, TimeSpan.FromSeconds(1));
        var codes = Enumerable.Range(0, 256).Select(code => MuLaw.Decode((byte)code)).ToArray();

        buffer.Append(codes);

        Assert.Equal(codes, Replayed(buffer));
    }

    private static short[] Replayed(UtteranceBuffer buffer)
    {
        var handoff = new HandoffBuffer(SampleRate);
        buffer.MoveTo(handoff);
        return handoff.Samples.ToArray();
    }

    /// <summary>Samples a phone line can carry (µ-law levels), so storing them as µ-law loses nothing.</summary>
    private static short[] PhoneLineSamples(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => MuLaw.Decode((byte)random.Next(256))).ToArray();
    }
}
