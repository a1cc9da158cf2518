using System.Text.Json;

namespace Bridge.Emulator.Wire;

/// <summary>The <c>{"bytes":"base64"}</c> payload that carries every Nova event, in both directions.</summary>
public static class ChunkPayload
{
    public static byte[] Encode(ReadOnlySpan<byte> eventJson)
    {
        var base64Length = (eventJson.Length + 2) / 3 * 4;
        var payload = new byte[base64Length + 12];
        "{\"bytes\":\""u8.CopyTo(payload);
        System.Buffers.Text.Base64.EncodeToUtf8(eventJson, payload.AsSpan(10), out _, out var written);
        "\"}"u8.CopyTo(payload.AsSpan(10 + written));
        return payload;
    }

    public static byte[] DecodeBytes(ReadOnlySpan<byte> payload)
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
                        return reader.GetBytesFromBase64();
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
}
