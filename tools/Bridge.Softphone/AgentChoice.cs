using Bridge.Agents.Profiles;

namespace Bridge.Softphone;

/// <summary>An agent as the page offers it: its name, and the number to call for it (the default agent answers any other).</summary>
internal sealed record AgentChoice(string Name, string? Number, bool IsDefault, string? Voice, string? Language)
{
    public static IReadOnlyList<AgentChoice> From(AgentCatalog? catalog) =>
        catalog is null
            ? []
            : catalog.Agents
                .Where(agent => agent.IsDefault || agent.Numbers.Count > 0)
                .OrderByDescending(agent => agent.IsDefault)
                .Select(agent => new AgentChoice(agent.Name, agent.Numbers.FirstOrDefault(), agent.IsDefault, agent.Voice, agent.Language))
                .ToList();
}
