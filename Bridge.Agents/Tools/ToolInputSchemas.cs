using System.Text.Json;
using Json.Schema;

namespace Bridge.Agents.Tools;

/// <summary>
/// An HTTP tool's input schema: checked against JSON Schema 2020-12 when the profile loads, and used to refuse the
/// model's input before any request is made.
/// </summary>
public static class ToolInputSchemas
{
    private static readonly EvaluationOptions ListErrors = new() { OutputFormat = OutputFormat.List };

    /// <summary>Compiles a tool's input schema; reports what is wrong with it instead when it is not usable.</summary>
    public static JsonSchema? Compile(JsonElement schema, Action<string> report)
    {
        if (!schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
        {
            report("must describe an object (\"type\": \"object\"): the model passes a tool's input as a JSON object");
            return null;
        }
        if (FirstError(MetaSchemas.Draft202012.Evaluate(schema, ListErrors)) is { } metaError)
        {
            report("is not a valid JSON Schema (2020-12): " + metaError);
            return null;
        }
        try
        {
            // Each schema in a registry of its own, so that two profiles (or two loads) with the same $id never collide.
            return JsonSchema.Build(schema.Clone(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception e) when (e is JsonSchemaException or JsonException or ArgumentException or InvalidOperationException)
        {
            report("cannot be compiled: " + e.Message);
            return null;
        }
    }

    /// <summary>Null when <paramref name="input"/> matches; otherwise one line saying where and why it does not.</summary>
    public static string? Validate(JsonSchema schema, JsonElement input) => FirstError(schema.Evaluate(input, ListErrors));

    private static string? FirstError(EvaluationResults results)
    {
        if (results.IsValid)
        {
            return null;
        }
        foreach (var detail in (IEnumerable<EvaluationResults>?)results.Details ?? [])
        {
            if (detail.Errors is { Count: > 0 } errors)
            {
                var location = detail.InstanceLocation.ToString();
                return $"{(location.Length == 0 ? "the input" : location)}: {string.Join("; ", errors.Values)}";
            }
        }
        return results.Errors is { Count: > 0 } topErrors ? string.Join("; ", topErrors.Values) : "the input does not match the schema";
    }
}
