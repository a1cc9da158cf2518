using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Bridge.Emulator.Wire;

/// <summary>The <c>{"bytes":"base64"}</c> payload that carries every Nova event, in both directions.</summary>
public static class ChunkPayload
{
    private static ReadOnlySpan<byte> Prefix => "{\"bytes\":\""u8;
    private static ReadOnlySpan<byte> Suffix => "\"}"u8;

    public static int EncodedLength(int eventJsonLength) => Prefix.Length + Base64.GetMaxEncodedToUtf8Length(eventJsonLength) + Suffix.Length;

    /// <summary>Writes the payload for <paramref name="eventJson"/> into <paramref name="destination"/>; returns its length.</summary>
    public static int Encode(ReadOnlySpan<byte> eventJson, Span<byte> destination)
    {
        Prefix.CopyTo(destination);
        Base64.EncodeToUtf8(eventJson, destination[Prefix.Length..], out _, out var written);
        Suffix.CopyTo(destination[(Prefix.Length + written)..]);
        return Prefix.Length + written + Suffix.Length;
    }

    public static byte[] Encode(ReadOnlySpan<byte> eventJson)
    {
        var payload = new byte[EncodedLength(eventJson.Length)];
        Encode(eventJson, payload);
        return payload;
    }

    public static byte[] DecodeBytes(ReadOnlySpan<byte> payload)
    {
        var scratch = Array.Empty<byte>();
        var length = DecodeBytes(payload, ref scratch);
        return scratch[..length];
    }

    /// <summary>Decodes the <c>bytes</c> member into <paramref name="scratch"/> (grown when too small); returns the length.</summary>
    public static int DecodeBytes(ReadOnlySpan<byte> payload, ref byte[] scratch)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("bytes"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        return DecodeBase64(ref reader, ref scratch);
                    }

                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new FrameDecodeException("Chunk payload is not {\"bytes\":\"<base64>\"}: " + e.Message);
        }

        throw new FrameDecodeException("Chunk payload is not {\"bytes\":\"<base64>\"}.");
    }

    private static int DecodeBase64(ref Utf8JsonReader reader, ref byte[] scratch)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            var bytes = reader.GetBytesFromBase64();
            Grow(ref scratch, bytes.Length);
            bytes.CopyTo(scratch, 0);
            return bytes.Length;
        }

        var base64 = reader.ValueSpan;
        Grow(ref scratch, Base64.GetMaxDecodedFromUtf8Length(base64.Length));
        if (Base64.DecodeFromUtf8(base64, scratch, out _, out var written) != OperationStatus.Done)
        {
            throw new FormatException("The bytes member is not base64.");
        }
        return written;
    }

    private static void Grow(ref byte[] scratch, int length)
    {
        if (scratch.Length < length)
        {
            scratch = new byte[Math.Max(length, scratch.Length * 2)];
        }
    }
}
