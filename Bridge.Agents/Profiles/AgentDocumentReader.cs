using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Agents.Prompts;
using Bridge.Agents.Tools;
using Bridge.Agents.Voices;
using NodaTime;

namespace Bridge.Agents.Profiles;

/// <summary>Where a profile document came from, and what it may refer to.</summary>
/// <param name="Source">How errors name the document (<c>file:agents.json</c>).</param>
/// <param name="BaseDirectory">Where <c>systemPromptFile</c> paths start.</param>
/// <param name="AllowHttpToLoopback">Development: an HTTP tool may use http:// to this machine.</param>
public sealed record AgentDocumentContext(string Source, string BaseDirectory, bool AllowHttpToLoopback);

/// <summary>The catalog, or every problem found in the document, one line each.</summary>
public sealed record AgentCatalogRead(AgentCatalog? Catalog, IReadOnlyList<string> Errors);

/// <summary>
/// Reads and validates an agent profile document (JSON, comments and trailing commas allowed). Every problem is
/// reported, one line naming the agent or tool and the field, rather than the first one only.
/// </summary>
public static partial class AgentDocumentReader
{
    public const int MaxNameLength = 64;
    internal const int MaxDescriptionLength = 1_000;
    private const int MaxPromptLength = 40_000;
    private static readonly TimeSpan MinMaxDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxMaxDuration = TimeSpan.FromHours(4);

    private static readonly string[] DocumentFields = ["agents", "tools", "timeZone"];
    private static readonly string[] AgentFields =
    [
        "name", "default", "numbers", "systemPrompt", "systemPromptFile", "greeting", "voice", "language", "systemSpeech",
        "endpointingSensitivity", "inference", "timeZone", "tools", "transferDestinations", "maxDuration",
        "variables", "voicemailMessage",
    ];
    private static readonly string[] InferenceFields = ["maxTokens", "topP", "temperature"];

    private static readonly JsonDocumentOptions Json = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    public static AgentCatalogRead Read(string json, AgentDocumentContext context)
    {
        var errors = new ProfileErrors(context.Source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Json);
        }
        catch (JsonException e)
        {
            errors.Document("document", $"is not valid JSON: {e.Message}");
            return new AgentCatalogRead(null, errors.Lines);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Document("document", "must be a JSON object with an \"agents\" array");
                return new AgentCatalogRead(null, errors.Lines);
            }

            var fields = new JsonFields(root, errors.Document);
            fields.RejectUnknown(DocumentFields);
            var defaultZone = ReadZone(fields.String("timeZone"), message => errors.Document("timeZone", message)) ?? DateTimeZone.Utc;
            var tools = HttpToolReader.Read(root, context, errors);
            var agents = ReadAgents(fields.Array("agents"), defaultZone, tools, context, errors);

            return errors.Count > 0
                ? new AgentCatalogRead(null, errors.Lines)
                : new AgentCatalogRead(new AgentCatalog(context.Source, agents, tools.Valid), []);
        }
    }

    private static List<AgentProfile> ReadAgents(
        JsonElement? array,
        DateTimeZone defaultZone,
        DeclaredTools tools,
        AgentDocumentContext context,
        ProfileErrors errors)
    {
        var agents = new List<AgentProfile>();
        if (array is not { } list || list.GetArrayLength() == 0)
        {
            errors.Document("agents", "must list at least one agent");
            return agents;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            index++;
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Document($"agents[{index - 1}]", "must be an object");
                continue;
            }
            var agent = ReadAgent(element, index, defaultZone, tools, context, errors);
            if (agent is null)
            {
                continue;
            }
            if (!names.Add(agent.Name))
            {
                errors.Agent(agent.Name, "name", "is used by another agent too");
            }
            foreach (var number in agent.Numbers)
            {
                if (!numbers.TryAdd(number, agent.Name) && numbers[number] != agent.Name)
                {
                    errors.Agent(agent.Name, "numbers", $"{number} is answered by agent '{numbers[number]}' too");
                }
            }
            agents.Add(agent);
        }

        var defaults = agents.Where(a => a.IsDefault).Select(a => a.Name).ToList();
        if (defaults.Count == 0 && agents.Count > 0)
        {
            errors.Document("agents", "no agent has \"default\": true; exactly one must answer the numbers no agent lists");
        }
        else if (defaults.Count > 1)
        {
            errors.Document("agents", $"agents {string.Join(", ", defaults.Select(d => $"'{d}'"))} all have \"default\": true; exactly one may");
        }
        return agents;
    }

    private static AgentProfile? ReadAgent(
        JsonElement element,
        int index,
        DateTimeZone defaultZone,
        DeclaredTools tools,
        AgentDocumentContext context,
        ProfileErrors errors)
    {
        var nameField = new JsonFields(element, (field, message) => errors.Document($"agents[{index - 1}].{field}", message));
        var name = nameField.String("name");
        if (name is null || !NamePattern().IsMatch(name))
        {
            errors.Document($"agents[{index - 1}].name", name is null
                ? "is required"
                : $"'{name}' must be 1-{MaxNameLength} letters, digits, '-', '_' or '.', starting with a letter or digit");
            return null;
        }

        var before = errors.Count;
        void Report(string field, string message) => errors.Agent(name, field, message);
        var fields = new JsonFields(element, Report);
        fields.RejectUnknown(AgentFields);

        var isDefault = fields.Boolean("default") ?? false;
        var agentNumbers = fields.Strings("numbers") ?? [];
        foreach (var number in agentNumbers.Where(n => !E164().IsMatch(n)))
        {
            Report("numbers", $"'{number}' is not an E.164 number (+15551234567)");
        }
        if (agentNumbers.Distinct(StringComparer.Ordinal).Count() != agentNumbers.Count)
        {
            Report("numbers", "lists a number twice");
        }
        if (!isDefault && agentNumbers.Count == 0)
        {
            Report("numbers", "the agent answers no number and is not the default: list its numbers or make it the default");
        }

        var variables = ReadVariables(fields, Report);
        var systemPrompt = ReadSystemPrompt(fields, context, variables, Report);
        var greeting = Template(fields.String("greeting"), "greeting", variables, Report);
        var voicemailMessage = Template(fields.String("voicemailMessage"), "voicemailMessage", variables, Report);
        if (voicemailMessage is not null && voicemailMessage.Text.Length > OutboundVariables.MaxVoicemailLength)
        {
            Report("voicemailMessage", $"must be at most {OutboundVariables.MaxVoicemailLength} characters (it is said after the beep)");
        }

        var voice = fields.String("voice");
        if (voice is not null && !NovaVoices.Ids.Contains(voice))
        {
            Report("voice", $"'{voice}' is not a Nova 2 Sonic voice ({NovaVoices.List})");
        }
        var language = fields.String("language");
        if (language is not null && !NovaVoices.Languages.ContainsKey(language))
        {
            Report("language", $"'{language}' is not a language Nova 2 Sonic speaks ({string.Join(", ", NovaVoices.Languages.Keys)})");
        }
        var systemSpeech = fields.String("systemSpeech");
        if (systemSpeech is { Length: 0 or > MaxDescriptionLength })
        {
            Report("systemSpeech", $"must be 1-{MaxDescriptionLength} characters");
        }
        var endpointing = fields.String("endpointingSensitivity");
        if (endpointing is not null and not ("HIGH" or "MEDIUM" or "LOW"))
        {
            Report("endpointingSensitivity", $"'{endpointing}' must be HIGH, MEDIUM or LOW");
        }

        var inference = new InferenceSettings(null, null, null);
        if (fields.Object("inference") is { } inferenceElement)
        {
            var inferenceFields = new JsonFields(inferenceElement, (field, message) => Report("inference." + field, message));
            inferenceFields.RejectUnknown(InferenceFields);
            inference = new InferenceSettings(
                inferenceFields.Integer("maxTokens", 1, 10_000),
                inferenceFields.Number("topP", 0, 1),
                inferenceFields.Number("temperature", 0, 1));
        }

        var zone = ReadZone(fields.String("timeZone"), message => Report("timeZone", message)) ?? defaultZone;
        var agentTools = fields.Strings("tools") ?? [];
        foreach (var tool in agentTools.Where(t => !BuiltInTools.Names.Contains(t) && tools.SurelyUndeclared(t)))
        {
            Report("tools", $"'{tool}' is neither a built-in tool ({string.Join(", ", BuiltInTools.Names)}) nor defined under \"tools\"");
        }
        if (agentTools.Distinct(StringComparer.Ordinal).Count() != agentTools.Count)
        {
            Report("tools", "lists a tool twice");
        }

        var destinations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (destination, target) in fields.StringMap("transferDestinations") ?? [])
        {
            if (!DestinationName().IsMatch(destination))
            {
                Report("transferDestinations", $"'{destination}' must be 1-40 letters, digits, spaces, '-' or '_'");
            }
            else if (!TransferTarget().IsMatch(target))
            {
                Report("transferDestinations", $"'{destination}' goes to '{target}', which is neither an E.164 number nor a sip: URI");
            }
            destinations[destination] = target;
        }
        if (destinations.Count > 0 && !agentTools.Contains(BuiltInTools.TransferCall))
        {
            Report("transferDestinations", $"are set, but \"tools\" does not list {BuiltInTools.TransferCall}");
        }

        var maxDuration = fields.Duration("maxDuration", MinMaxDuration, MaxMaxDuration);

        if (errors.Count > before)
        {
            return null;
        }
        return new AgentProfile
        {
            Name = name,
            IsDefault = isDefault,
            Numbers = agentNumbers,
            SystemPrompt = systemPrompt,
            Greeting = greeting,
            Voice = voice,
            Language = language,
            SystemSpeech = systemSpeech,
            EndpointingSensitivity = endpointing,
            Inference = inference,
            TimeZone = zone,
            Tools = agentTools,
            TransferDestinations = destinations,
            MaxDuration = maxDuration,
            Variables = variables,
            VoicemailMessage = voicemailMessage,
        };
    }

    /// <summary>The names of the variables an outbound call gives the agent (<c>"variables": ["patientName"]</c>).</summary>
    private static IReadOnlySet<string> ReadVariables(JsonFields fields, Action<string, string> report)
    {
        var names = fields.Strings("variables") ?? [];
        foreach (var name in names.Where(n => !OutboundVariables.IsValidName(n)))
        {
            report("variables", $"'{name}' must be 1-{OutboundVariables.MaxNameLength} letters, digits or '_', starting with a letter");
        }
        foreach (var name in names.Where(PromptVariables.Known.Contains))
        {
            report("variables", $"'{name}' is a built-in variable; choose another name");
        }
        if (names.Count > OutboundVariables.MaxCount)
        {
            report("variables", $"lists {names.Count} variables; at most {OutboundVariables.MaxCount}");
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            report("variables", "lists a variable twice");
        }
        return names.ToHashSet(StringComparer.Ordinal);
    }

    private static PromptTemplate? ReadSystemPrompt(JsonFields fields, AgentDocumentContext context, IReadOnlySet<string> variables, Action<string, string> report)
    {
        var inline = fields.String("systemPrompt");
        var file = fields.String("systemPromptFile");
        if (inline is not null && file is not null)
        {
            report("systemPrompt", "give systemPrompt or systemPromptFile, not both");
            return null;
        }
        if (file is null)
        {
            return Template(inline, "systemPrompt", variables, report);
        }

        var path = Path.GetFullPath(Path.Combine(context.BaseDirectory, file));
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report("systemPromptFile", $"cannot read '{path}': {e.Message}");
            return null;
        }
        return Template(text, "systemPromptFile", variables, report);
    }

    private static PromptTemplate? Template(string? text, string field, IReadOnlySet<string> variables, Action<string, string> report)
    {
        if (text is null)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxPromptLength)
        {
            report(field, $"must be 1-{MaxPromptLength} characters of text");
            return null;
        }
        var template = PromptTemplate.TryParse(text, variables, out var error);
        if (template is null)
        {
            report(field, error!);
        }
        return template;
    }

    private static DateTimeZone? ReadZone(string? id, Action<string> report)
    {
        if (id is null)
        {
            return null;
        }
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
        if (zone is null)
        {
            report($"'{id}' is not an IANA time zone (such as Europe/Paris or America/New_York)");
        }
        return zone;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^(\+[1-9]\d{6,14}|sips?:\S+)$")]
    private static partial Regex TransferTarget();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$")]
    private static partial Regex DestinationName();
}
