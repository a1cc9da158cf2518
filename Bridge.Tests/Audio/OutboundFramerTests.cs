using Bridge.Audio;
using Bridge.Tests.Support;

namespace Bridge.Tests.Audio;

public sealed class OutboundFramerTests
{
    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(24000)]
    public void Model_audio_in_odd_pieces_becomes_the_same_frames_as_in_one_piece(int modelRate)
    {
        var speech = ResamplerStreamingTests.TestSignal(modelRate, seconds: 1, seed: 11);
        var whole = WriteAll(new OutboundFramer(modelRate), [speech]);

        var random = new Random(5);
        var pieces = new List<short[]>();
        for (int offset = 0; offset < speech.Length;)
        {
            int size = Math.Min(random.Next(0, 2000), speech.Length - offset);
            pieces.Add(speech[offset..(offset + size)]);
            offset += size;
        }
        var pieced = WriteAll(new OutboundFramer(modelRate), pieces);

        Assert.Equal(whole, pieced);
        Assert.Equal(0, whole.Length % TelephoneFrame.Samples);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(24000)]
    public void One_second_of_speech_is_fifty_whole_frames_and_nothing_pending(int modelRate)
    {
        var framer = new OutboundFramer(modelRate);
        var output = new byte[framer.GetMaxOutputLength(modelRate)];

        Assert.Equal(50 * TelephoneFrame.Samples, framer.Write(new short[modelRate], output));
        Assert.Equal(0, framer.PendingSamples);
    }

    [Fact]
    public void At_8_kHz_the_frames_are_the_G711_codes_of_the_samples_in_order()
    {
        var samples = ResamplerStreamingTests.TestSignal(8000, seconds: 0.05, seed: 2); // 400 samples: 2 frames + 80
        var table = G711Vectors.EncodeTable();
        var framer = new OutboundFramer(8000);
        var output = new byte[framer.GetMaxOutputLength(samples.Length)];

        int written = framer.Write(samples, output);

        Assert.Equal(320, written);
        Assert.Equal(80, framer.PendingSamples);
        Assert.Equal(samples[..320].Select(s => table[(ushort)s]), output[..320]);
    }

    [Fact]
    public void A_remainder_is_carried_into_the_next_frame()
    {
        var samples = ResamplerStreamingTests.TestSignal(8000, seconds: 0.04, seed: 3); // 320 samples
        var table = G711Vectors.EncodeTable();
        var framer = new OutboundFramer(8000);
        var frame = new byte[TelephoneFrame.Samples];

        Assert.Equal(0, framer.Write(samples.AsSpan(0, 100), frame));
        Assert.Equal(160, framer.Write(samples.AsSpan(100, 100), frame));

        Assert.Equal(samples[..160].Select(s => table[(ushort)s]), frame);
        Assert.Equal(40, framer.PendingSamples);
    }

    [Fact]
    public void Flush_completes_the_last_frame_with_silence()
    {
        var samples = ResamplerStreamingTests.TestSignal(8000, seconds: 0.01, seed: 4); // 80 samples
        var table = G711Vectors.EncodeTable();
        var framer = new OutboundFramer(8000);
        framer.Write(samples, []);
        var frame = new byte[TelephoneFrame.Samples];

        Assert.Equal(160, framer.Flush(frame));

        Assert.Equal(samples.Select(s => table[(ushort)s]), frame[..80]);
        Assert.All(frame[80..], code => Assert.Equal(MuLaw.Silence, code));
        Assert.Equal(0, framer.PendingSamples);
        Assert.Equal(0, framer.Flush(frame));
    }

    [Fact]
    public void Flush_after_resampling_brings_out_the_end_the_filter_still_held()
    {
        // A tone that stops mid-frame: its last 1.7 ms is still inside the filter until silence pushes it out.
        var tone = ToneFit.Sine(24000, 1000, 20000, 24000 / 100 * 3 + 120); // 35 ms
        var framer = new OutboundFramer(24000);
        var frames = new byte[framer.GetMaxOutputLength(tone.Length)];
        int written = framer.Write(tone, frames);
        var last = new byte[TelephoneFrame.Samples];

        Assert.Equal(160, framer.Flush(last));

        Assert.Equal(160, written);
        var decoded = new short[160];
        MuLaw.Decode(last, decoded);
        // 15 ms of tone belong to this frame (samples 0..119); the filter delays them by ≈ 13 samples.
        Assert.True(ToneFit.Rms(decoded.AsSpan(116, 8)) > 3000, "the delayed end of the tone is in the frame");
        Assert.True(ToneFit.Rms(decoded.AsSpan(140, 20)) < 40, "after the delayed end comes silence");
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(24000)]
    public void Discard_on_barge_in_drops_the_remainder_and_the_filter_memory(int modelRate)
    {
        var old = ResamplerStreamingTests.TestSignal(modelRate, seconds: 0.03, seed: 6);
        var next = ResamplerStreamingTests.TestSignal(modelRate, seconds: 0.2, seed: 7);
        var framer = new OutboundFramer(modelRate);
        framer.Write(old, new byte[framer.GetMaxOutputLength(old.Length)]);

        framer.Discard();

        Assert.Equal(0, framer.PendingSamples);
        Assert.Equal(WriteAll(new OutboundFramer(modelRate), [next]), WriteAll(framer, [next]));
    }

    [Fact]
    public void Writing_a_frame_of_24_kHz_speech_allocates_nothing()
    {
        var framer = new OutboundFramer(24000);
        var speech = ResamplerStreamingTests.TestSignal(24000, seconds: 0.02, seed: 8);
        var output = new byte[framer.GetMaxOutputLength(speech.Length)];
        framer.Write(speech, output);

        Assert.Equal(0, Allocations.FewestPerRound(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                framer.Write(speech, output);
            }
            framer.Flush(output);
        }));
    }

    [Fact]
    public void An_output_too_short_for_the_frames_completed_is_refused()
    {
        var framer = new OutboundFramer(16000);

        Assert.Throws<ArgumentException>(() => framer.Write(new short[640], new byte[159]));
    }

    private static byte[] WriteAll(OutboundFramer framer, IEnumerable<short[]> pieces)
    {
        var frames = new List<byte>();
        foreach (var piece in pieces)
        {
            var output = new byte[framer.GetOutputLength(piece.Length)];
            Assert.Equal(output.Length, framer.Write(piece, output));
            frames.AddRange(output);
        }
        return frames.ToArray();
    }
}
