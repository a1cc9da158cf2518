using System.Buffers.Binary;
using System.Text;
using Bridge.Audio;

namespace Bridge.TwilioStandIn.Media;

/// <summary>
/// Reads and writes RIFF/WAVE files: PCM 16-bit (format 1) and G.711 µ-law (format 7), also inside
/// WAVE_FORMAT_EXTENSIBLE. Anything else is refused with a message that says what the file holds.
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatMuLaw = 7;
    private const ushort FormatExtensible = 0xFFFE;

    public static WavAudio Read(string path)
    {
        try
        {
            return Read(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static WavAudio Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a WAV file (no RIFF/WAVE header)");
        }

        (ushort Format, int Channels, int Rate, int Bits)? format = null;
        var position = 12;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file[(position + 4)..]);
            var body = position + 8;
            var available = (int)Math.Min(size, (uint)(file.Length - body));

            if (id.SequenceEqual("fmt "u8))
            {
                format = ReadFormat(file.Slice(body, available));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not { } f)
                {
                    throw new InvalidDataException("the data chunk comes before the fmt chunk");
                }
                return ToAudio(f, file.Slice(body, available).ToArray());
            }
            position = body + available + (int)(size & 1);
        }
        throw new InvalidDataException(format is null ? "no fmt chunk" : "no data chunk");
    }

    /// <summary>Writes 8 kHz mono µ-law: exactly the bytes a Twilio caller hears.</summary>
    public static void WriteMuLaw(string path, ReadOnlySpan<byte> mulaw)
    {
        using var file = File.Create(path);
        Write(file, FormatMuLaw, TelephoneFrame.SampleRate, 1, 8, mulaw);
    }

    public static void WritePcm16(string path, int sampleRate, ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }
        using var file = File.Create(path);
        Write(file, FormatPcm, sampleRate, 1, 16, bytes);
    }

    private static (ushort, int, int, int) ReadFormat(ReadOnlySpan<byte> fmt)
    {
        if (fmt.Length < 16)
        {
            throw new InvalidDataException("the fmt chunk is too short");
        }
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var rate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible && fmt.Length >= 26)
        {
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]); // the sub-format GUID starts with the format tag
        }
        return (tag, channels, rate, bits);
    }

    private static WavAudio ToAudio((ushort Format, int Channels, int Rate, int Bits) f, byte[] data)
    {
        if (f.Channels < 1 || f.Rate < 1)
        {
            throw new InvalidDataException($"{f.Channels} channel(s) at {f.Rate} Hz is not audio");
        }
        return f switch
        {
            { Format: FormatPcm, Bits: 16 } => new WavAudio(WavEncoding.Pcm16, f.Rate, f.Channels, data),
            { Format: FormatMuLaw, Bits: 8 } => new WavAudio(WavEncoding.MuLaw, f.Rate, f.Channels, data),
            _ => throw new InvalidDataException(
                $"format {f.Format} with {f.Bits}-bit samples is not supported: use µ-law 8 kHz or PCM 16-bit " +
                "(e.g. sox in.wav -r 8000 -c 1 -e mu-law out.wav)"),
        };
    }

    private static void Write(Stream file, ushort format, int rate, int channels, int bits, ReadOnlySpan<byte> data)
    {
        var blockAlign = channels * bits / 8;
        var fmtSize = format == FormatPcm ? 16 : 18; // non-PCM formats carry cbSize
        var factSize = format == FormatPcm ? 0 : 12;
        var padding = data.Length & 1;
        using var writer = new BinaryWriter(file, Encoding.ASCII, leaveOpen: true);
        writer.Write("RIFF"u8);
        writer.Write(4 + (8 + fmtSize) + factSize + 8 + data.Length + padding);
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(fmtSize);
        writer.Write(format);
        writer.Write((ushort)channels);
        writer.Write(rate);
        writer.Write(rate * blockAlign);
        writer.Write((ushort)blockAlign);
        writer.Write((ushort)bits);
        if (format != FormatPcm)
        {
            writer.Write((ushort)0);
            writer.Write("fact"u8);
            writer.Write(4);
            writer.Write(data.Length / blockAlign);
        }
        writer.Write("data"u8);
        writer.Write(data.Length);
        writer.Write(data);
        if (padding == 1)
        {
            writer.Write((byte)0);
        }
    }
}
