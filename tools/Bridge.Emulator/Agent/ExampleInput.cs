using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bridge.Emulator.Agent;

/// <summary>
/// The input a trigger without one of its own sends to a declared tool: an object with every required property of
/// the tool's schema, each its <c>default</c>, first <c>examples</c> entry, <c>const</c> or first <c>enum</c> value,
/// else a placeholder of its type. So <c>transfer_call</c> with named destinations goes to the first destination.
/// </summary>
internal static class ExampleInput
{
    /// <summary>What a trigger's Input says to mean "make one up from the schema".</summary>
    public const string FromSchema = "auto";

    public static string For(string? schemaJson)
    {
        var input = new JsonObject();
        if (schemaJson is null)
        {
            return input.ToJsonString();
        }
        try
        {
            using var schema = JsonDocument.Parse(schemaJson);
            var root = schema.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("required", out var required) || required.ValueKind != JsonValueKind.Array)
            {
                return input.ToJsonString();
            }
            root.TryGetProperty("properties", out var properties);
            foreach (var name in required.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!))
            {
                input[name] = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var property)
                    ? Value(property)
                    : "example";
            }
        }
        catch (JsonException)
        {
        }
        return input.ToJsonString();
    }

    private static JsonNode? Value(JsonElement property)
    {
        foreach (var keyword in (string[])["default", "const"])
        {
            if (property.TryGetProperty(keyword, out var value))
            {
                return JsonNode.Parse(value.GetRawText());
            }
        }
        foreach (var keyword in (string[])["examples", "enum"])
        {
            if (property.TryGetProperty(keyword, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
            {
                return JsonNode.Parse(list[0].GetRawText());
            }
        }
        var type = property.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "string";
        return type switch
        {
            "integer" or "number" => 1,
            "boolean" => true,
            "object" => new JsonObject(),
            "array" => new JsonArray(),
            _ => "example",
        };
    }
}
