using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Agents.Tools;

namespace Bridge.Agents.Profiles;

/// <summary>
/// The HTTP tools a document defines under <c>"tools"</c>: the valid ones, and the name of every one it declares,
/// valid or not. An agent listing a declared tool that failed validation refers to something that exists; the
/// tool's own lines say what is wrong with it, so the agent gets no second (and false) line.
/// </summary>
/// <param name="SectionReadable">False when <c>"tools"</c> is there but is no object: what it declares is unknown.</param>
internal sealed record DeclaredTools(IReadOnlyDictionary<string, HttpToolDefinition> Valid, IReadOnlySet<string> Declared, bool SectionReadable)
{
    /// <summary>Whether an agent naming <paramref name="name"/> names an HTTP tool the document surely does not declare.</summary>
    public bool SurelyUndeclared(string name) => SectionReadable && !Declared.Contains(name);
}

/// <summary>Reads and validates the <c>"tools"</c> object of a profile document, one line per problem naming the tool and the field.</summary>
internal static partial class HttpToolReader
{
    private static readonly TimeSpan MinToolTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxToolTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] ToolFields = ["description", "inputSchema", "url", "timeout", "retry", "maxResponseBytes", "cancelOnBargeIn"];

    public static DeclaredTools Read(JsonElement document, AgentDocumentContext context, ProfileErrors errors)
    {
        var tools = new Dictionary<string, HttpToolDefinition>(StringComparer.Ordinal);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        if (new JsonFields(document, errors.Document).Object("tools") is not { } map)
        {
            // Absent: no HTTP tools. There but no object (reported just now): which tools it meant is unknown.
            var present = document.TryGetProperty("tools", out var value) && value.ValueKind != JsonValueKind.Null;
            return new DeclaredTools(tools, declared, SectionReadable: !present);
        }
        foreach (var property in map.EnumerateObject())
        {
            var name = property.Name;
            declared.Add(name);
            if (!ToolName().IsMatch(name))
            {
                errors.Tool(name, "name", "must be 1-64 letters, digits, '_' or '-' (what Bedrock accepts as a tool name)");
                continue;
            }
            if (BuiltInTools.Names.Contains(name))
            {
                errors.Tool(name, "name", "is a built-in tool; an HTTP tool needs another name");
                continue;
            }
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Tool(name, "definition", "must be an object");
                continue;
            }
            if (ReadTool(name, property.Value, context, errors) is { } tool)
            {
                tools[name] = tool;
            }
        }
        return new DeclaredTools(tools, declared, SectionReadable: true);
    }

    private static HttpToolDefinition? ReadTool(string name, JsonElement element, AgentDocumentContext context, ProfileErrors errors)
    {
        var before = errors.Count;
        void Report(string field, string message) => errors.Tool(name, field, message);
        var fields = new JsonFields(element, Report);
        fields.RejectUnknown(ToolFields);

        var description = fields.String("description");
        if (string.IsNullOrWhiteSpace(description) || description.Length > AgentDocumentReader.MaxDescriptionLength)
        {
            Report("description", $"is required: 1-{AgentDocumentReader.MaxDescriptionLength} characters telling the model what the tool does and when to use it");
        }

        var schemaElement = fields.Object("inputSchema");
        var schema = schemaElement is { } schemaJson ? ToolInputSchemas.Compile(schemaJson, message => Report("inputSchema", message)) : null;
        if (schemaElement is null)
        {
            Report("inputSchema", "is required: a JSON Schema object describing the tool's input");
        }

        var url = ToolUrls.Check(fields.String("url"), context.AllowHttpToLoopback, message => Report("url", message));
        var timeout = fields.Duration("timeout", MinToolTimeout, MaxToolTimeout) ?? HttpToolDefinition.DefaultTimeout;
        var retry = fields.Boolean("retry") ?? false;
        var maxResponseBytes = fields.Integer("maxResponseBytes", 256, 1024 * 1024) ?? HttpToolDefinition.DefaultMaxResponseBytes;
        var cancelOnBargeIn = fields.Boolean("cancelOnBargeIn") ?? true;

        if (errors.Count > before)
        {
            return null;
        }
        return new HttpToolDefinition
        {
            Name = name,
            Description = description!,
            InputSchemaJson = schemaElement!.Value.GetRawText(),
            InputSchema = schema!,
            Url = url!,
            Timeout = timeout,
            Retry = retry,
            MaxResponseBytes = maxResponseBytes,
            CancelOnBargeIn = cancelOnBargeIn,
        };
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ToolName();
}
