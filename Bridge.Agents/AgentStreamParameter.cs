namespace Bridge.Agents;

/// <summary>
/// The stream parameter naming the call's agent. The webhook chooses the agent by the number called and passes its
/// name among the parameters the stream token signs; the worker resolves the same profile from it.
/// </summary>
public static class AgentStreamParameter
{
    public const string Name = "agent";
}
