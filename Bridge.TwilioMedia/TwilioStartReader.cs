using System.Text.Json;

namespace Bridge.TwilioMedia;

/// <summary>Reads the <c>start</c> object: once per call, so it may allocate.</summary>
internal static class TwilioStartReader
{
    /// <summary>More than the TwiML of any call the api answers carries; a start with more is refused.</summary>
    public const int MaxCustomParameters = 32;

    /// <summary>The start, or null when it carries more than <see cref="MaxCustomParameters"/> custom parameters.</summary>
    public static TwilioStartInfo? Read(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string streamSid = "", callSid = "", accountSid = "", encoding = "";
        int sampleRate = 0, channels = 0;
        var tracks = new List<string>();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("streamSid"u8)) streamSid = NextString(ref reader);
            else if (reader.ValueTextEquals("callSid"u8)) callSid = NextString(ref reader);
            else if (reader.ValueTextEquals("accountSid"u8)) accountSid = NextString(ref reader);
            else if (reader.ValueTextEquals("tracks"u8)) ReadStrings(ref reader, tracks);
            else if (reader.ValueTextEquals("customParameters"u8))
            {
                if (!ReadParameters(ref reader, parameters)) return null;
            }
            else if (reader.ValueTextEquals("mediaFormat"u8)) ReadMediaFormat(ref reader, ref encoding, ref sampleRate, ref channels);
            else reader.Skip();
        }
        return new TwilioStartInfo(streamSid, callSid, accountSid, tracks, parameters, encoding, sampleRate, channels);
    }

    private static void ReadMediaFormat(ref Utf8JsonReader reader, ref string encoding, ref int sampleRate, ref int channels)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("encoding"u8)) encoding = NextString(ref reader);
            else if (reader.ValueTextEquals("sampleRate"u8)) sampleRate = NextInt(ref reader);
            else if (reader.ValueTextEquals("channels"u8)) channels = NextInt(ref reader);
            else reader.Skip();
        }
    }

    private static bool ReadParameters(ref Utf8JsonReader reader, Dictionary<string, string> parameters)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (parameters.Count >= MaxCustomParameters)
            {
                return false;
            }
            parameters[name] = NextString(ref reader);
        }
        return true;
    }

    private static void ReadStrings(ref Utf8JsonReader reader, List<string> values)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            values.Add(reader.GetString()!);
        }
    }

    private static string NextString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("expected a string");
    }

    /// <summary>Twilio sends sampleRate and channels as numbers; strings of digits are accepted too.</summary>
    private static int NextInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetInt32(),
            JsonTokenType.String when int.TryParse(reader.GetString(), out var value) => value,
            _ => throw new JsonException("expected a number"),
        };
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new JsonException($"expected {token}");
        }
    }
}
