using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Bridge.Emulator.Nova;

/// <summary>
/// Reads one stream's input events: <c>audioInput</c>, 25 a second per call, with <see cref="Utf8JsonReader"/> (its
/// names kept while they repeat), every other event, and any audioInput that is not plainly shaped, with
/// <see cref="InputEventParser"/>, so that both give the same event or the same problem. One per stream.
/// </summary>
public sealed class InputEventReader
{
    private string? _promptName;
    private string? _contentName;

    public InputEvent? Read(ReadOnlyMemory<byte> json, out string? problem)
    {
        if (TryReadAudioInput(json.Span) is { } audio)
        {
            problem = null;
            return audio;
        }
        return InputEventParser.Parse(json, out problem);
    }

    /// <summary>
    /// <c>{"event":{"audioInput":{…}}}</c> with string <c>promptName</c>, <c>contentName</c> and base64 <c>content</c>,
    /// nothing escaped, no member twice; null for anything else (the general parser then says what is wrong).
    /// </summary>
    private InputEvent? TryReadAudioInput(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!Expect(ref reader, JsonTokenType.StartObject) || !ExpectName(ref reader, "event"u8) ||
                !Expect(ref reader, JsonTokenType.StartObject) || !ExpectName(ref reader, "audioInput"u8) ||
                !Expect(ref reader, JsonTokenType.StartObject))
            {
                return null;
            }

            string? promptName = null, contentName = null;
            byte[]? audio = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped)
                {
                    return null;
                }
                if (reader.ValueTextEquals("promptName"u8))
                {
                    if (promptName is not null || !NextString(ref reader, ref _promptName, out promptName))
                    {
                        return null;
                    }
                }
                else if (reader.ValueTextEquals("contentName"u8))
                {
                    if (contentName is not null || !NextString(ref reader, ref _contentName, out contentName))
                    {
                        return null;
                    }
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    if (audio is not null || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped ||
                        (audio = Base64Value(reader.ValueSpan)) is null)
                    {
                        return null;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || audio is null || promptName is null || contentName is null ||
                !Expect(ref reader, JsonTokenType.EndObject) || !Expect(ref reader, JsonTokenType.EndObject) || reader.Read())
            {
                return null;
            }

            return new InputEvent { Kind = InputEventKind.AudioInput, PromptName = promptName, ContentName = contentName, Audio = audio };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Expect(ref Utf8JsonReader reader, JsonTokenType token) => reader.Read() && reader.TokenType == token;

    private static bool ExpectName(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped && reader.ValueTextEquals(name);

    /// <summary>Reads a plain string value, reusing <paramref name="last"/> when it is the same text (it nearly always is).</summary>
    private static bool NextString(ref Utf8JsonReader reader, ref string? last, out string? value)
    {
        value = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }
        if (last is null || !reader.ValueTextEquals(last))
        {
            last = reader.GetString();
        }
        value = last;
        return true;
    }

    private static byte[]? Base64Value(ReadOnlySpan<byte> base64)
    {
        // The exact length when the base64 is whole (it always is): one array per event, no trimming copy.
        var padding = base64.Length % 4 != 0 || base64.IsEmpty ? 0 : base64[^1] != '=' ? 0 : base64[^2] == '=' ? 2 : 1;
        var length = base64.Length % 4 == 0 ? base64.Length / 4 * 3 - padding : Base64.GetMaxDecodedFromUtf8Length(base64.Length);
        var audio = new byte[length];
        if (Base64.DecodeFromUtf8(base64, audio, out _, out var written) != OperationStatus.Done)
        {
            return null;
        }
        return written == audio.Length ? audio : audio[..written];
    }
}
