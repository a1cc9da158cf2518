using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions.Manifest;

namespace Bridge.Deploy.TaskDefinitions.TaskDefinitions;

/// <summary>The container's port mappings, from a project's bindings: only what an Application Load Balancer can serve.</summary>
internal static class PortMappings
{
    private static readonly string[] KnownBindingFields = ["scheme", "protocol", "transport", "external", "targetPort", "port"];

    public static JsonArray For(string project, JsonObject resource, ExpressionResolver resolver)
    {
        var mappings = new JsonArray();
        var ports = new HashSet<int>();
        if (resource["bindings"] is not JsonObject bindings || bindings.Count == 0)
        {
            throw TranslationException.ForResource(project, "bindings", "a service behind the load balancer needs an http binding.");
        }
        foreach (var (name, node) in bindings)
        {
            if (node is not JsonObject binding)
            {
                throw TranslationException.ForResource(project, $"bindings.{name}", "must be an object.");
            }
            foreach (var (field, _) in binding)
            {
                if (!KnownBindingFields.Contains(field))
                {
                    throw TranslationException.ForResource(project, $"bindings.{name}.{field}", "is not supported by the ECS translator.");
                }
            }
            var scheme = binding["scheme"]?.GetValue<string>();
            if (scheme is not ("http" or "https"))
            {
                throw TranslationException.ForResource(project, $"bindings.{name}.scheme",
                    $"'{scheme}' cannot be served behind an Application Load Balancer (http or https only).");
            }
            var protocol = binding["protocol"]?.GetValue<string>() ?? "tcp";
            if (protocol != "tcp")
            {
                throw TranslationException.ForResource(project, $"bindings.{name}.protocol", $"'{protocol}' is not supported (tcp only).");
            }
            var transport = binding["transport"]?.GetValue<string>() ?? "http";
            if (transport is not ("http" or "http2"))
            {
                throw TranslationException.ForResource(project, $"bindings.{name}.transport", $"'{transport}' is not supported (http or http2).");
            }

            // TLS ends at the load balancer: an https binding without a port of its own is the same container port.
            var port = resolver.ContainerPortOf(project, name);
            if (ports.Add(port))
            {
                mappings.Add(new JsonObject
                {
                    ["name"] = name,
                    ["containerPort"] = port,
                    ["protocol"] = "tcp",
                    ["appProtocol"] = transport,
                });
            }
        }
        return mappings;
    }
}
