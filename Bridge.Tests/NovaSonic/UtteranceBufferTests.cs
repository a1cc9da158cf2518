using Bridge.Audio;
using Bridge.NovaSonic;
using static Bridge.Tests.NovaSonic.EmulatedNova;

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
        Assert.Equal(AsReplayed(said), Replayed(buffer));
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
            Assert.True(buffer.RentedSegments <= capacity / UtteranceBuffer.SegmentBytes + 2, $"{buffer.RentedSegments} segments rented");
        }

        Assert.Equal(capacity, buffer.Count);
        Assert.Equal(AsReplayed(said[^capacity..]), Replayed(buffer));
    }

    [Fact]
    public void Returns_its_memory_at_each_pause()
    {
        var buffer = new UtteranceBuffer(SampleRate, TimeSpan.FromSeconds(3));
        buffer.Append(RandomSamples(SampleRate, seed: 3));
        // One second is 16,000 bytes of µ-law (half its PCM): 15 full segments of 1,024 and one started.
        Assert.Equal(16, buffer.RentedSegments);

        buffer.Clear();

        Assert.Equal(0, buffer.RentedSegments);
        Assert.Equal(0, buffer.Count);
        Assert.Empty(Replayed(buffer));
        var next = RandomSamples(800, seed: 4);
        buffer.Append(next);
        Assert.Equal(AsReplayed(next), Replayed(buffer));
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
        Assert.Equal(AsReplayed(said[^800..]), Replayed(buffer));
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

        // The utterance was kept as µ-law; what the caller said during the switch is held as the PCM it was.
        Assert.Equal([.. AsReplayed(said), .. meanwhile], next.Audio);
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

    [Theory]
    [InlineData(-6)]
    [InlineData(-20)]
    [InlineData(-40)]
    public void A_phone_callers_replayed_utterance_is_within_the_noise_of_a_second_mu_law_quantisation(double levelDbfs)
    {
        // What the model hears from a caller: their voice, µ-law on the phone line, decoded and resampled to 16 kHz.
        var onTheLine = PhoneCaller(levelDbfs, seconds: 2);
        var buffer = new UtteranceBuffer(SampleRate, TimeSpan.FromSeconds(3));
        buffer.Append(onTheLine);

        var replayed = Replayed(buffer);

        // G.711 keeps a signal-to-noise ratio of about 38 dB over its range; the replay adds one more quantisation of it.
        Assert.InRange(SignalToNoiseDb(onTheLine, replayed), 33, 60);
    }

    private static short[] PhoneCaller(double levelDbfs, int seconds)
    {
        var amplitude = short.MaxValue * Math.Pow(10, levelDbfs / 20);
        var line = new byte[8_000 * seconds];
        for (var i = 0; i < line.Length; i++)
        {
            var t = i / 8_000.0;
            var voice = 0.6 * Math.Sin(2 * Math.PI * 180 * t) + 0.3 * Math.Sin(2 * Math.PI * 720 * t) + 0.1 * Math.Sin(2 * Math.PI * 2_300 * t);
            line[i] = MuLaw.Encode((short)(amplitude * voice));
        }
        var pcm8k = new short[line.Length];
        MuLaw.Decode(line, pcm8k);
        var resampler = Resampler.Create(8_000, SampleRate);
        var pcm16k = new short[pcm8k.Length * 2];
        var written = resampler.Process(pcm8k, pcm16k);
        return pcm16k[..written];
    }

    private static double SignalToNoiseDb(short[] signal, short[] received)
    {
        Assert.Equal(signal.Length, received.Length);
        double power = 0, noise = 0;
        for (var i = 0; i < signal.Length; i++)
        {
            power += (double)signal[i] * signal[i];
            noise += (double)(received[i] - signal[i]) * (received[i] - signal[i]);
        }
        return 10 * Math.Log10(power / noise);
    }

    private static short[] Replayed(UtteranceBuffer buffer)
    {
        var handoff = new HandoffBuffer(SampleRate);
        buffer.MoveTo(handoff);
        var stream = new ScriptedNovaStream(2, []);
        handoff.ReplayInto(stream);
        return stream.Audio;
    }

    /// <summary>Any 16-bit values, not only those µ-law can carry: the model's input is PCM, kept as µ-law for a replay.</summary>
    private static short[] RandomSamples(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray();
    }
}
