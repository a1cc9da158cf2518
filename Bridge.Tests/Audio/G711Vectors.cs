namespace Bridge.Tests.Audio;

/// <summary>The ITU-T G.191 µ-law tables copied under Vectors/g711 (see Vectors/README.md for their source).</summary>
internal static class G711Vectors
{
    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", "g711", name);

    /// <summary>65,536 codes; index = the sample as an unsigned 16-bit value.</summary>
    public static byte[] EncodeTable()
    {
        var table = File.ReadAllBytes(PathOf("ulaw-encode-table.bin"));
        Assert.Equal(65536, table.Length);
        return table;
    }

    /// <summary>256 linear values, one per code.</summary>
    public static short[] DecodeTable()
    {
        var bytes = File.ReadAllBytes(PathOf("ulaw-decode-table.bin"));
        Assert.Equal(512, bytes.Length);
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            table[code] = System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * code));
        }
        return table;
    }
}
