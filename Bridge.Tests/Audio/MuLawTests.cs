using Bridge.Audio;

namespace Bridge.Tests.Audio;

public sealed class MuLawTests
{
    [Fact]
    public void Every_16_bit_sample_encodes_to_the_G191_code()
    {
        var expected = G711Vectors.EncodeTable();
        var mismatches = new List<string>();
        for (int index = 0; index < 65536; index++)
        {
            var sample = (short)(ushort)index;
            var code = MuLaw.Encode(sample);
            if (code != expected[index])
            {
                mismatches.Add($"{sample}: 0x{code:X2}, G.191 0x{expected[index]:X2}");
            }
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} samples differ, first: {string.Join("; ", mismatches.Take(5))}");
    }

    [Fact]
    public void Every_code_decodes_to_the_G191_value()
    {
        var expected = G711Vectors.DecodeTable();
        for (int code = 0; code < 256; code++)
        {
            Assert.True(expected[code] == MuLaw.Decode((byte)code), $"code 0x{code:X2}: {MuLaw.Decode((byte)code)}, G.191 {expected[code]}");
        }
    }

    [Fact]
    public void Span_encode_matches_the_G191_table_for_all_samples()
    {
        var expected = G711Vectors.EncodeTable();
        var samples = new short[65536];
        for (int index = 0; index < samples.Length; index++)
        {
            samples[index] = (short)(ushort)index;
        }
        var codes = new byte[samples.Length];

        MuLaw.Encode(samples, codes);

        Assert.Equal(expected, codes);
    }

    [Fact]
    public void Span_encode_of_a_length_that_is_no_multiple_of_the_vector_width_matches_the_G191_table()
    {
        var expected = G711Vectors.EncodeTable();
        var samples = Enumerable.Range(0, 65536).Select(index => (short)(ushort)index).ToArray();
        var codes = new byte[65536 - 3];

        MuLaw.Encode(samples.AsSpan(3), codes);

        Assert.Equal(expected[3..], codes);
    }

    [Fact]
    public void Span_decode_matches_the_G191_table_for_all_codes()
    {
        var codes = Enumerable.Range(0, 256).Select(c => (byte)c).ToArray();
        var samples = new short[256];

        MuLaw.Decode(codes, samples);

        Assert.Equal(G711Vectors.DecodeTable(), samples);
    }

    [Fact]
    public void Silence_is_the_code_G191_gives_to_zero()
    {
        Assert.Equal(MuLaw.Silence, G711Vectors.EncodeTable()[0]);
        Assert.Equal(0, G711Vectors.DecodeTable()[MuLaw.Silence]);
    }

    [Fact]
    public void Span_encode_refuses_an_output_shorter_than_the_input()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MuLaw.Encode(new short[160], new byte[159]));
    }
}
