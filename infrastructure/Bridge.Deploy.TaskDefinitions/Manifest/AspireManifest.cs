using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bridge.Deploy.TaskDefinitions.Manifest;

/// <summary>
/// The AppHost's publish manifest (<c>aspire-manifest.json</c>, aspire-8.0 schema): resources by name, each kept
/// as its JSON object so that fields the translator does not know are noticed rather than silently dropped.
/// </summary>
public sealed class AspireManifest
{
    public const string ProjectType = "project.v0";
    public const string ParameterType = "parameter.v0";
    public const string ValueType = "value.v0";

    private AspireManifest(IReadOnlyDictionary<string, JsonObject> resources) => Resources = resources;

    /// <summary>Resources in the manifest's order.</summary>
    public IReadOnlyDictionary<string, JsonObject> Resources { get; }

    public static AspireManifest Load(string path) => Parse(File.ReadAllText(path), path);

    public static AspireManifest Parse(string json, string source = "aspire-manifest.json")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new TranslationException($"{source} is not valid JSON: {e.Message}");
        }

        if (root?["resources"] is not JsonObject resources)
        {
            throw new TranslationException($"{source} has no 'resources' object at its root.");
        }

        var byName = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, node) in resources)
        {
            if (node is not JsonObject resource || resource["type"]?.GetValueKind() != JsonValueKind.String)
            {
                throw TranslationException.ForResource(name, "type", "every resource must be an object with a string 'type'.");
            }
            byName.Add(name, resource);
        }
        return new AspireManifest(byName);
    }

    public static string TypeOf(JsonObject resource) => resource["type"]!.GetValue<string>();

    /// <summary>The projects, which become services, in a stable order (by name).</summary>
    public IEnumerable<string> ProjectNames =>
        Resources.Where(r => TypeOf(r.Value) == ProjectType).Select(r => r.Key).Order(StringComparer.Ordinal);
}
