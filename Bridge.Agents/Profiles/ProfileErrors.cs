namespace Bridge.Agents.Profiles;

/// <summary>
/// The problems found in a profile document, one line each, naming the agent (or tool) and the field:
/// <c>file:agents.json: agent 'sales', voice: 'bob' is not a Nova 2 Sonic voice (…)</c>.
/// </summary>
internal sealed class ProfileErrors(string source)
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public int Count => _lines.Count;

    public void Document(string field, string message) => _lines.Add($"{source}: {field}: {message}");

    public void Agent(string agent, string field, string message) => _lines.Add($"{source}: agent '{agent}', {field}: {message}");

    public void Tool(string tool, string field, string message) => _lines.Add($"{source}: tool '{tool}', {field}: {message}");
}
