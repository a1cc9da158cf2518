using Bridge.Agents.Tools;

namespace Bridge.Agents.Profiles;

/// <summary>The validated agent profiles: which agent answers a number, and the HTTP tools they use.</summary>
public sealed class AgentCatalog
{
    private readonly Dictionary<string, AgentProfile> _byName;
    private readonly Dictionary<string, AgentProfile> _byNumber;

    public AgentCatalog(string source, IReadOnlyList<AgentProfile> agents, IReadOnlyDictionary<string, HttpToolDefinition> tools)
    {
        Source = source;
        Agents = agents;
        Tools = tools;
        Default = agents.Single(a => a.IsDefault);
        _byName = agents.ToDictionary(a => a.Name, StringComparer.Ordinal);
        _byNumber = agents.SelectMany(a => a.Numbers.Select(n => (n, a))).ToDictionary(p => p.n, p => p.a, StringComparer.Ordinal);
    }

    /// <summary>Where the profiles came from (<c>file:agents.json</c>, <c>ssm:/bridge/agents</c>, ...).</summary>
    public string Source { get; }

    public IReadOnlyList<AgentProfile> Agents { get; }

    public AgentProfile Default { get; }

    public IReadOnlyDictionary<string, HttpToolDefinition> Tools { get; }

    /// <summary>The agent answering <paramref name="calledNumber"/> (Twilio's <c>To</c>): the one listing it, else the default.</summary>
    public AgentProfile ForCalledNumber(string? calledNumber) =>
        calledNumber is not null && _byNumber.TryGetValue(calledNumber.Trim(), out var agent) ? agent : Default;

    public AgentProfile? Find(string name) => _byName.GetValueOrDefault(name);
}
