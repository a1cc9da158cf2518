using Bridge.Agents;
using Bridge.Agents.Profiles;
using Bridge.HttpTools.Callbacks;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Outbound;

/// <summary>A <c>POST /calls</c> that passed every check: what is dialled, as whom, with which agent.</summary>
public sealed record ValidCall(string To, string From, string Agent, AgentProfile? Profile, IReadOnlyDictionary<string, string> Variables, Uri? Callback);

/// <summary>
/// Checks a <c>POST /calls</c> body against the configuration: E.164 numbers, the agent and the variables its profile
/// declares (every one, nothing else), the callback URL. Every problem is reported at once, by field.
/// </summary>
public sealed class PlaceCallValidation(AgentProfiles profiles, IOptions<OutboundOptions> options, IHostEnvironment environment)
{
    public ValidCall? Validate(PlaceCallRequest request, out Dictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, string[]>(StringComparer.Ordinal);
        errors = found;
        void Error(string field, string message) =>
            found[field] = found.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

        if (request.To is not { } to || !OutboundOptions.E164().IsMatch(to))
        {
            Error("to", "is required: the number to dial, in E.164 form (+15551234567)");
        }
        else if (options.Value.CallerIds.Contains(to, StringComparer.Ordinal))
        {
            Error("to", "is one of this bridge's own numbers");
        }
        if (request.From is not { } from || !OutboundOptions.E164().IsMatch(from))
        {
            Error("from", "is required: the caller ID, one of this bridge's numbers in E.164 form");
        }

        var (agent, profile) = ChooseAgent(request, Error);
        var variables = request.Variables ?? [];
        if (profile is not null)
        {
            foreach (var name in variables.Keys.Where(n => !profile.Variables.Contains(n)))
            {
                Error("variables", $"'{name}' is not a variable of agent '{profile.Name}' (it has: {List(profile.Variables)})");
            }
            foreach (var name in profile.Variables.Where(n => !variables.ContainsKey(n)))
            {
                Error("variables", $"'{name}' is required by agent '{profile.Name}'");
            }
        }
        else if (variables.Count > 0)
        {
            Error("variables", "are given, but this bridge has no agent profiles to use them (Agents:Source)");
        }
        foreach (var (name, value) in variables)
        {
            if (value is null || value.Length > OutboundVariables.MaxValueLength || value.Any(char.IsControl))
            {
                Error("variables", $"'{name}' must be a string of at most {OutboundVariables.MaxValueLength} characters, without control characters");
            }
        }

        Uri? callback = null;
        if (request.StatusCallback is { } text)
        {
            callback = CallbackAddresses.Check(text, environment.IsDevelopment(), out var problem);
            if (callback is null)
            {
                Error("statusCallback", problem!);
            }
        }

        return errors.Count > 0 ? null : new ValidCall(request.To!, request.From!, agent!, profile, variables, callback);
    }

    private (string? Name, AgentProfile? Profile) ChooseAgent(PlaceCallRequest request, Action<string, string> error)
    {
        if (profiles.Catalog is not { } catalog)
        {
            if (request.Agent is not null)
            {
                error("agent", "is given, but this bridge has no agent profiles (Agents:Source): leave it out");
            }
            return ("configured", null);
        }
        if (request.Agent is null)
        {
            // The agent answering the caller ID when it is called: the same voice on the way out as on the way in.
            var own = catalog.ForCalledNumber(request.From);
            return (own.Name, own);
        }
        if (catalog.Find(request.Agent) is { } named)
        {
            return (named.Name, named);
        }
        error("agent", $"'{request.Agent}' is not an agent of this bridge ({string.Join(", ", catalog.Agents.Select(a => a.Name))})");
        return (null, null);
    }

    private static string List(IReadOnlySet<string> names) => names.Count == 0 ? "none" : string.Join(", ", names.Order(StringComparer.Ordinal));
}
