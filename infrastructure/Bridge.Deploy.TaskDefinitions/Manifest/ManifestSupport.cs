namespace Bridge.Deploy.TaskDefinitions.Manifest;

/// <summary>
/// The part of the aspire-8.0 manifest schema the ECS translator handles. Anything else stops the translation
/// naming the resource and the field, rather than being dropped from the deployment without a word.
/// </summary>
public static class ManifestSupport
{
    private static readonly Dictionary<string, string[]> KnownFields = new(StringComparer.Ordinal)
    {
        [AspireManifest.ProjectType] = ["type", "path", "args", "env", "bindings"],
        [AspireManifest.ParameterType] = ["type", "value", "inputs", "connectionString"],
        [AspireManifest.ValueType] = ["type", "value", "connectionString"],
    };

    public static void Check(AspireManifest manifest)
    {
        foreach (var (name, resource) in manifest.Resources)
        {
            var type = AspireManifest.TypeOf(resource);
            if (!KnownFields.TryGetValue(type, out var fields))
            {
                throw TranslationException.ForResource(name, "type",
                    $"'{type}' is not supported by the ECS translator (it supports {string.Join(", ", KnownFields.Keys)}).");
            }
            foreach (var (field, _) in resource)
            {
                if (!fields.Contains(field))
                {
                    throw TranslationException.ForResource(name, field, $"{type} field '{field}' is not supported by the ECS translator.");
                }
            }
        }
    }
}
