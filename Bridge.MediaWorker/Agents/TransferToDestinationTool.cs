using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Agents.Tools;
using Bridge.MediaWorker.Calls;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Agents;

/// <summary>
/// <c>transfer_call</c> for an agent with named destinations: the model picks one by name (the names are an enum in
/// the tool's schema), and once it has told the caller, the call's TwiML becomes a <c>&lt;Dial&gt;</c> to that
/// number or SIP URI. A name the agent does not have is refused with the list, so the model can ask again.
/// </summary>
public sealed class TransferToDestinationTool(IReadOnlyDictionary<string, string> destinations, TwilioCallControl calls) : ICallTool
{
    public NovaTool Definition { get; } = new(
        BuiltInTools.TransferCall,
        $"Transfer the caller to one of: {string.Join(", ", destinations.Keys)}. Tell the caller where you are transferring them first.",
        Schema(destinations.Keys));

    public Task<CallToolResult> InvokeAsync(CallToolContext context, string inputJson, CancellationToken cancellationToken)
    {
        var destination = DestinationOf(inputJson);
        if (destination is null || !destinations.TryGetValue(destination, out var target))
        {
            var known = string.Join(", ", destinations.Keys);
            var error = new JsonObject
            {
                ["error"] = destination is null
                    ? $"Say where to transfer the caller: one of {known}."
                    : $"There is no destination '{destination}'. The destinations are: {known}. Ask the caller which one they want.",
            };
            return Task.FromResult(new CallToolResult(error.ToJsonString(), Outcome: "refused"));
        }

        var status = new JsonObject { ["status"] = $"The caller will be transferred to {destination} after you finish speaking." };
        return Task.FromResult(new CallToolResult(
            status.ToJsonString(),
            token => calls.TransferAsync(context.CallSid, target, token)));
    }

    internal static string Schema(IEnumerable<string> names) => new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["destination"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray([.. names.Select(n => (JsonNode)n)]),
                ["description"] = "Who takes the call.",
            },
            ["reason"] = new JsonObject { ["type"] = "string", ["description"] = "Why the caller is transferred." },
        },
        ["required"] = new JsonArray("destination"),
    }.ToJsonString();

    private static string? DestinationOf(string inputJson)
    {
        try
        {
            using var input = JsonDocument.Parse(string.IsNullOrWhiteSpace(inputJson) ? "{}" : inputJson);
            return input.RootElement.ValueKind == JsonValueKind.Object &&
                input.RootElement.TryGetProperty("destination", out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
