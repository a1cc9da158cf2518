using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bridge.CallSimulator.Outbound;

/// <summary>
/// An outbound test call as an operator places it: <c>POST /calls</c> on the api with its key, the operator's endpoint
/// as the call's <c>statusCallback</c>, then the callbacks that endpoint receives — the outcome, and for a call that was
/// answered, the conversation (the worker sends it when the stream ends, about when the final status reaches the api).
/// The dashboard's commands and <c>bridge-call outbound</c> both run it.
/// </summary>
public static class OutboundTestCall
{
    public static readonly TimeSpan OutcomeWait = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan ConversationWait = TimeSpan.FromSeconds(30);

    public sealed record Call(string To, string From, string Agent, IReadOnlyDictionary<string, string> Variables);

    /// <summary>The placed call's SID, or the api's refusal (status and body).</summary>
    public static async Task<(string? CallSid, string? Refusal)> PlaceAsync(
        HttpClient http, Uri api, string key, Call call, OperatorEndpoint operatorSide, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "/calls"))
        {
            Content = JsonContent.Create(new
            {
                to = call.To,
                from = call.From,
                agent = call.Agent,
                variables = call.Variables,
                statusCallback = operatorSide.Url.ToString(),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var placed = await http.SendAsync(request, cancellationToken);
        var answer = await placed.Content.ReadAsStringAsync(cancellationToken);
        if (!placed.IsSuccessStatusCode)
        {
            return (null, $"POST /calls answered {(int)placed.StatusCode}: {answer}");
        }
        using var body = JsonDocument.Parse(answer);
        return (body.RootElement.GetProperty("callSid").GetString(), null);
    }

    /// <summary>
    /// The outcome (null if none came within <see cref="OutcomeWait"/>) and, for a completed call, the conversation
    /// (null if none came within <see cref="ConversationWait"/> of the outcome, or the call was never answered).
    /// </summary>
    public static async Task<(JsonElement? Outcome, JsonElement? Conversation)> CallbacksAsync(
        OperatorEndpoint operatorSide, string callSid, CancellationToken cancellationToken)
    {
        if (await WithinAsync(operatorSide, callSid, OperatorEndpoint.Completed, OutcomeWait, cancellationToken) is not { } outcome)
        {
            return (null, null);
        }
        return outcome.GetProperty("callStatus").GetString() == "completed"
            ? (outcome, await WithinAsync(operatorSide, callSid, OperatorEndpoint.Conversation, ConversationWait, cancellationToken))
            : (outcome, null);
    }

    private static async Task<JsonElement?> WithinAsync(OperatorEndpoint operatorSide, string callSid, string eventName, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        within.CancelAfter(wait);
        try
        {
            return await operatorSide.ReceivedAsync(callSid, eventName, within.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
