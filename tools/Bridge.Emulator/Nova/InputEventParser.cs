using System.Text.Json;

namespace Bridge.Emulator.Nova;

/// <summary>Parses <c>{"event":{"name":{...}}}</c> into an <see cref="InputEvent"/>; null when it is no Nova event at all.</summary>
public static class InputEventParser
{
    public static InputEvent? Parse(ReadOnlyMemory<byte> json, out string? problem)
    {
        problem = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problem = "the event is not JSON: " + e.Message;
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("event", out var wrapper)
                || wrapper.ValueKind != JsonValueKind.Object)
            {
                problem = "the event is not wrapped as {\"event\":{...}}";
                return null;
            }

            using var properties = wrapper.EnumerateObject();
            if (!properties.MoveNext())
            {
                problem = "the event object is empty";
                return null;
            }

            var property = properties.Current;
            if (properties.MoveNext())
            {
                problem = "the event object names more than one event";
                return null;
            }

            var body = property.Value;
            if (body.ValueKind != JsonValueKind.Object)
            {
                problem = $"{property.Name} is not an object";
                return null;
            }

            var parsed = property.Name switch
            {
                "sessionStart" => SessionStart(body),
                "promptStart" => PromptStart(body),
                "contentStart" => ContentStart(body),
                "textInput" => Input(body, InputEventKind.TextInput),
                "audioInput" => Input(body, InputEventKind.AudioInput),
                "toolResult" => Input(body, InputEventKind.ToolResult),
                "contentEnd" => new InputEvent { Kind = InputEventKind.ContentEnd, PromptName = String(body, "promptName"), ContentName = String(body, "contentName") },
                "promptEnd" => new InputEvent { Kind = InputEventKind.PromptEnd, PromptName = String(body, "promptName") },
                "sessionEnd" => new InputEvent { Kind = InputEventKind.SessionEnd },
                _ => null,
            };
            if (parsed is null)
            {
                problem = $"unknown input event '{property.Name}'";
            }

            return parsed;
        }
    }

    private static InputEvent SessionStart(JsonElement body)
    {
        string? problem = null;
        if (body.TryGetProperty("turnDetectionConfiguration", out var turnDetection)
            && String(turnDetection, "endpointingSensitivity") is { } sensitivity
            && sensitivity is not ("HIGH" or "MEDIUM" or "LOW"))
        {
            problem = $"endpointingSensitivity '{sensitivity}' is not HIGH, MEDIUM or LOW";
        }

        return new InputEvent { Kind = InputEventKind.SessionStart, Json = body.GetRawText(), Problem = problem };
    }

    private static InputEvent PromptStart(JsonElement body)
    {
        var rate = 0;
        var bits = 0;
        var channels = 0;
        string? problem = null;
        if (body.TryGetProperty("audioOutputConfiguration", out var audio) && audio.ValueKind == JsonValueKind.Object)
        {
            rate = Int(audio, "sampleRateHertz");
            bits = Int(audio, "sampleSizeBits");
            channels = Int(audio, "channelCount");
        }
        else
        {
            problem = "promptStart has no audioOutputConfiguration";
        }

        var tools = new List<string>();
        var schemas = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.TryGetProperty("toolConfiguration", out var toolConfiguration)
            && toolConfiguration.ValueKind == JsonValueKind.Object
            && toolConfiguration.TryGetProperty("tools", out var toolList)
            && toolList.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in toolList.EnumerateArray())
            {
                if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("toolSpec", out var spec)
                    && spec.ValueKind == JsonValueKind.Object && String(spec, "name") is { } name)
                {
                    tools.Add(name);
                    if (spec.TryGetProperty("inputSchema", out var inputSchema) && String(inputSchema, "json") is { } schemaJson)
                    {
                        schemas[name] = schemaJson;
                    }
                }
                else
                {
                    problem ??= "a tool in toolConfiguration has no toolSpec.name";
                }
            }
        }

        return new InputEvent
        {
            Kind = InputEventKind.PromptStart,
            PromptName = String(body, "promptName"),
            SampleRateHertz = rate,
            SampleSizeBits = bits,
            ChannelCount = channels,
            DeclaredTools = tools,
            DeclaredToolSchemas = schemas,
            Json = body.GetRawText(),
            Problem = problem,
        };
    }

    private static InputEvent ContentStart(JsonElement body)
    {
        var type = String(body, "type");
        int rate = 0, bits = 0, channels = 0;
        string? toolUseId = null;
        string? problem = null;
        switch (type)
        {
            case "AUDIO" when body.TryGetProperty("audioInputConfiguration", out var audio) && audio.ValueKind == JsonValueKind.Object:
                rate = Int(audio, "sampleRateHertz");
                bits = Int(audio, "sampleSizeBits");
                channels = Int(audio, "channelCount");
                break;
            case "AUDIO":
                problem = "an AUDIO contentStart has no audioInputConfiguration";
                break;
            case "TOOL" when body.TryGetProperty("toolResultInputConfiguration", out var tool) && tool.ValueKind == JsonValueKind.Object:
                toolUseId = String(tool, "toolUseId");
                break;
            case "TOOL":
                problem = "a TOOL contentStart has no toolResultInputConfiguration";
                break;
            case "TEXT":
                break;
            default:
                problem = $"contentStart type '{type}' is not TEXT, AUDIO or TOOL";
                break;
        }

        return new InputEvent
        {
            Kind = InputEventKind.ContentStart,
            PromptName = String(body, "promptName"),
            ContentName = String(body, "contentName"),
            ContentType = type,
            Role = String(body, "role"),
            Interactive = body.TryGetProperty("interactive", out var interactive) && interactive.ValueKind == JsonValueKind.True,
            SampleRateHertz = rate,
            SampleSizeBits = bits,
            ChannelCount = channels,
            ToolUseId = toolUseId,
            Problem = problem,
        };
    }

    private static InputEvent Input(JsonElement body, InputEventKind kind)
    {
        string? text = null;
        byte[]? audio = null;
        string? problem = null;
        if (!body.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
        {
            problem = "the input has no content";
        }
        else if (kind != InputEventKind.AudioInput)
        {
            text = content.GetString();
        }
        else if (!content.TryGetBytesFromBase64(out audio))
        {
            problem = "audioInput content is not base64";
        }

        return new InputEvent
        {
            Kind = kind,
            PromptName = String(body, "promptName"),
            ContentName = String(body, "contentName"),
            Text = text,
            Audio = audio,
            Problem = problem,
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;
}
