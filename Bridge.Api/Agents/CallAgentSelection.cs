using Bridge.Agents;

namespace Bridge.Api.Agents;

/// <summary>
/// Chooses the agent that answers a call by the number called (Twilio's <c>To</c>; a number no agent lists gets the
/// default agent) and names it in the stream's parameters, which the stream token signs. Without profiles
/// (<c>Agents:Source</c> unset) nothing is added and the worker uses its configured agent.
/// </summary>
public sealed partial class CallAgentSelection(AgentProfiles profiles, ILogger<CallAgentSelection> logger)
{
    public void AddTo(IDictionary<string, string> streamParameters, string callSid, string calledNumber)
    {
        if (profiles.Catalog is not { } catalog)
        {
            return;
        }
        var agent = catalog.ForCalledNumber(calledNumber);
        streamParameters[AgentStreamParameter.Name] = agent.Name;
        LogAgentChosen(callSid, calledNumber, agent.Name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} to {Called}: agent {Agent}")]
    private partial void LogAgentChosen(string callSid, string called, string agent);
}
