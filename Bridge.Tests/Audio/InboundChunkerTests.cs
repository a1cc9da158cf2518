using Bridge.Audio;
using Bridge.Tests.Support;

namespace Bridge.Tests.Audio;

public sealed class InboundChunkerTests
{
    [Theory]
    [InlineData(8000, 40, 320)]
    [InlineData(16000, 40, 640)]
    [InlineData(16000, 32, 512)]
    [InlineData(8000, 20, 160)]
    public void A_chunk_holds_the_configured_duration_at_the_model_rate(int modelRate, int milliseconds, int samples)
    {
        Assert.Equal(samples, new InboundChunker(modelRate, milliseconds).ChunkSamples);
    }

    [Fact]
    public void At_8_kHz_two_caller_frames_become_one_40_ms_chunk_of_the_G711_values()
    {
        var decode = G711Vectors.DecodeTable();
        var ulaw = Enumerable.Range(0, 320).Select(i => (byte)(i * 7)).ToArray();
        var chunker = new InboundChunker(new AudioOptions { ModelInputChunkMilliseconds = 40 });
        var chunk = new short[320];

        Assert.Equal(0, chunker.Write(ulaw.AsSpan(0, 160), chunk));
        Assert.Equal(160, chunker.PendingSamples);
        Assert.Equal(320, chunker.Write(ulaw.AsSpan(160, 160), chunk));

        Assert.Equal(ulaw.Select(code => decode[code]), chunk);
        Assert.Equal(0, chunker.PendingSamples);
    }

    [Fact]
    public void At_16_kHz_the_chunks_are_the_upsampled_caller_audio()
    {
        var pcm = ResamplerStreamingTests.TestSignal(8000, seconds: 0.2, seed: 9);
        var ulaw = new byte[pcm.Length];
        MuLaw.Encode(pcm, ulaw);
        var decoded = new short[pcm.Length];
        MuLaw.Decode(ulaw, decoded);
        var upsampled = new short[3200];
        Resampler.Create(8000, 16000).Process(decoded, upsampled);

        var chunker = new InboundChunker(16000, 32);
        var chunks = new List<short>();
        for (int offset = 0; offset < ulaw.Length; offset += 160)
        {
            var output = new short[chunker.GetMaxOutputLength(160)];
            int written = chunker.Write(ulaw.AsSpan(offset, 160), output);
            Assert.Equal(0, written % 512);
            chunks.AddRange(output[..written]);
        }

        Assert.Equal(3072, chunks.Count); // six whole chunks of 512; 128 samples wait for the next frame
        Assert.Equal(128, chunker.PendingSamples);
        Assert.Equal(upsampled[..3072], chunks.ToArray());
        var rest = new short[512];
        Assert.Equal(128, chunker.Flush(rest));
        Assert.Equal(upsampled[3072..], rest[..128]);
    }

    [Fact]
    public void Pieces_of_any_length_give_the_chunks_of_one_write()
    {
        var ulaw = new byte[8000];
        new Random(3).NextBytes(ulaw);
        var one = new InboundChunker(16000, 40);
        var whole = new short[one.GetOutputLength(ulaw.Length)];
        one.Write(ulaw, whole);

        var pieced = new List<short>();
        var chunker = new InboundChunker(16000, 40);
        var random = new Random(4);
        for (int offset = 0; offset < ulaw.Length;)
        {
            int size = Math.Min(random.Next(0, 500), ulaw.Length - offset);
            var output = new short[chunker.GetOutputLength(size)];
            Assert.Equal(output.Length, chunker.Write(ulaw.AsSpan(offset, size), output));
            pieced.AddRange(output);
            offset += size;
        }

        Assert.Equal(whole, pieced.ToArray());
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Writing_caller_frames_allocates_nothing(int modelRate)
    {
        var chunker = new InboundChunker(modelRate, 40);
        var frame = new byte[160];
        new Random(1).NextBytes(frame);
        var output = new short[chunker.GetMaxOutputLength(frame.Length)];
        chunker.Write(frame, output);

        Assert.Equal(0, Allocations.FewestPerRound(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                chunker.Write(frame, output);
            }
        }));
    }

    [Theory]
    [InlineData(24000, 40)]
    [InlineData(8000, 10)]
    [InlineData(8000, 200)]
    public void Unsupported_rates_and_durations_are_refused(int modelRate, int milliseconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InboundChunker(modelRate, milliseconds));
    }
}
