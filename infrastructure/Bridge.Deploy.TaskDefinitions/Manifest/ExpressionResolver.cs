using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bridge.Deploy.TaskDefinitions.Environments;

namespace Bridge.Deploy.TaskDefinitions.Manifest;

/// <summary>
/// Resolves manifest value expressions (<c>{resource.path}</c> inside strings) for ECS: bindings of projects become
/// their URL behind the load balancer, non-secret parameters their value from the environment file (or their
/// manifest default), secret parameters a reference that ends up in the task definition's <c>secrets</c>.
/// </summary>
public sealed partial class ExpressionResolver(AspireManifest manifest, DeploymentEnvironment environment)
{
    /// <summary>Resolves <paramref name="template"/>, found at <paramref name="field"/> of resource <paramref name="owner"/>.</summary>
    public ResolvedValue Resolve(string owner, string field, string template) =>
        Resolve(owner, field, template, []);

    /// <summary>The port the project's container listens on for a binding.</summary>
    public int ContainerPortOf(string project, string binding)
    {
        var resource = manifest.Resources[project];
        if (resource["bindings"]?[binding] is not JsonObject settings)
        {
            throw TranslationException.ForResource(project, $"bindings.{binding}", "no such binding.");
        }
        if (settings["targetPort"] is { } targetPort)
        {
            return targetPort is JsonValue value && value.TryGetValue<int>(out var port) && port is > 0 and < 65536
                ? port
                : throw TranslationException.ForResource(project, $"bindings.{binding}.targetPort", "must be a port number.");
        }
        return environment.Services.TryGetValue(project, out var service) ? service.ContainerPort : new ServiceSettings().ContainerPort;
    }

    private ResolvedValue Resolve(string owner, string field, string template, Stack<string> visiting)
    {
        var parts = Tokenize(owner, field, template);
        if (parts is [Reference only])
        {
            return ResolveReference(owner, field, only.Path, visiting);
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            switch (part)
            {
                case Literal literal:
                    text.Append(literal.Text);
                    break;
                case Reference reference:
                    switch (ResolveReference(owner, field, reference.Path, visiting))
                    {
                        case ResolvedValue.Text value:
                            text.Append(value.Value);
                            break;
                        case ResolvedValue.SecretParameter secret:
                            throw TranslationException.ForResource(owner, field,
                                $"'{{{reference.Path}}}' is the secret parameter '{secret.ParameterName}' inside a larger value; " +
                                "ECS can only inject a secret as a whole variable, so reference it on its own.");
                    }
                    break;
            }
        }
        return new ResolvedValue.Text(text.ToString());
    }

    private ResolvedValue ResolveReference(string owner, string field, string path, Stack<string> visiting)
    {
        var segments = path.Split('.');
        var name = segments[0];
        if (!manifest.Resources.TryGetValue(name, out var target))
        {
            throw TranslationException.ForResource(owner, field, $"'{{{path}}}' refers to '{name}', which is not a resource in the manifest.");
        }
        if (visiting.Contains(path))
        {
            throw TranslationException.ForResource(owner, field, $"'{{{path}}}' refers to itself (through {string.Join(" ← ", visiting)}).");
        }

        visiting.Push(path);
        try
        {
            var type = AspireManifest.TypeOf(target);
            return (type, segments[1..]) switch
            {
                (AspireManifest.ParameterType, ["inputs", var input]) => ResolveParameterInput(owner, field, name, target, input),
                (AspireManifest.ParameterType or AspireManifest.ValueType, [var property and ("value" or "connectionString")]) =>
                    ResolveStringProperty(owner, field, name, target, property, visiting),
                (AspireManifest.ProjectType, ["bindings", var binding, var property]) =>
                    ResolveBinding(owner, field, name, target, binding, property),
                _ => throw TranslationException.ForResource(owner, field,
                    $"'{{{path}}}' cannot be resolved: {type} resources have no '{string.Join('.', segments[1..])}' the translator knows."),
            };
        }
        finally
        {
            visiting.Pop();
        }
    }

    private ResolvedValue ResolveStringProperty(
        string owner, string field, string name, JsonObject target, string property, Stack<string> visiting)
    {
        if (target[property] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw TranslationException.ForResource(owner, field, $"'{{{name}.{property}}}' cannot be resolved: '{name}' has no string '{property}'.");
        }
        return Resolve(owner, field, value.GetValue<string>(), visiting);
    }

    private ResolvedValue ResolveParameterInput(string owner, string field, string name, JsonObject parameter, string input)
    {
        if (parameter["inputs"]?[input] is not JsonObject definition)
        {
            throw TranslationException.ForResource(owner, field, $"'{{{name}.inputs.{input}}}' cannot be resolved: parameter '{name}' has no input '{input}'.");
        }
        if (definition["secret"]?.GetValueKind() == JsonValueKind.True)
        {
            return new ResolvedValue.SecretParameter(name);
        }
        if (environment.Parameters.TryGetValue(name, out var configured))
        {
            return new ResolvedValue.Text(configured);
        }
        if (definition["default"]?["value"] is JsonValue fallback && fallback.GetValueKind() == JsonValueKind.String)
        {
            return new ResolvedValue.Text(fallback.GetValue<string>());
        }
        throw TranslationException.ForResource(owner, field,
            $"parameter '{name}' has no value: set parameters.{name} in {environment.Source}.");
    }

    private ResolvedValue.Text ResolveBinding(string owner, string field, string project, JsonObject target, string binding, string property)
    {
        if (target["bindings"]?[binding] is not JsonObject settings)
        {
            throw TranslationException.ForResource(owner, field, $"'{{{project}.bindings.{binding}.{property}}}' cannot be resolved: '{project}' has no binding '{binding}'.");
        }
        if (property == "targetPort")
        {
            return new(ContainerPortOf(project, binding).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (settings["external"]?.GetValueKind() != JsonValueKind.True)
        {
            throw TranslationException.ForResource(owner, field,
                $"'{{{project}.bindings.{binding}.{property}}}' is an internal binding; on ECS services reach each other only through the load balancer, so mark it external.");
        }

        // The load balancer terminates TLS and routes by path: every service is reached at the public URL.
        var url = environment.PublicBaseUrl!;
        return property switch
        {
            "url" => new(url.GetLeftPart(UriPartial.Authority)),
            "host" => new(url.Host),
            "port" => new(url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "scheme" => new(url.Scheme),
            _ => throw TranslationException.ForResource(owner, field,
                $"'{{{project}.bindings.{binding}.{property}}}' cannot be resolved: a binding has url, host, port, targetPort and scheme."),
        };
    }

    private abstract record Part;

    private sealed record Literal(string Text) : Part;

    private sealed record Reference(string Path) : Part;

    private static List<Part> Tokenize(string owner, string field, string template)
    {
        var parts = new List<Part>();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            var close = template.IndexOf('}', position);
            if (open < 0)
            {
                if (close >= 0)
                {
                    throw Unresolvable(owner, field, template, "a '}' without its '{'");
                }
                parts.Add(new Literal(template[position..]));
                break;
            }
            if (close >= 0 && close < open)
            {
                throw Unresolvable(owner, field, template, "a '}' without its '{'");
            }
            if (open > position)
            {
                parts.Add(new Literal(template[position..open]));
            }
            close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw Unresolvable(owner, field, template, "a '{' that is never closed");
            }
            var path = template[(open + 1)..close];
            if (!ReferencePath().IsMatch(path))
            {
                throw Unresolvable(owner, field, template, $"'{{{path}}}' is not a resource reference");
            }
            parts.Add(new Reference(path));
            position = close + 1;
        }
        return parts;
    }

    private static TranslationException Unresolvable(string owner, string field, string template, string problem) =>
        TranslationException.ForResource(owner, field, $"unresolvable expression in \"{template}\": {problem}.");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$")]
    private static partial Regex ReferencePath();
}
