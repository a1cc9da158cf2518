using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.Api.Outbound;

/// <summary>The body of <c>POST /calls</c>.</summary>
public sealed record PlaceCallRequest
{
    /// <summary>The number to dial, E.164.</summary>
    [JsonPropertyName("to")]
    public string? To { get; init; }

    /// <summary>The caller ID: one of <c>Outbound:CallerIds</c>.</summary>
    [JsonPropertyName("from")]
    public string? From { get; init; }

    /// <summary>The agent that talks; unset: the agent answering <see cref="From"/>, else the default agent.</summary>
    [JsonPropertyName("agent")]
    public string? Agent { get; init; }

    /// <summary>The agent's declared variables, every one of them.</summary>
    [JsonPropertyName("variables")]
    public Dictionary<string, string>? Variables { get; init; }

    /// <summary>The operator's https URL for the call's outcome.</summary>
    [JsonPropertyName("statusCallback")]
    public string? StatusCallback { get; init; }

    /// <summary>Reads the body; unknown fields (a typo) and wrong types are refused with a message.</summary>
    public static PlaceCallRequest? Parse(ReadOnlySpan<byte> json, out string? problem)
    {
        problem = null;
        try
        {
            var request = JsonSerializer.Deserialize<PlaceCallRequest>(json, Json);
            if (request is null)
            {
                problem = "The body must be a JSON object.";
            }
            return request;
        }
        catch (JsonException e)
        {
            problem = "The body is not the JSON object expected: " + (e.Path is { Length: > 1 } path ? $"{path}: " : "") + FirstSentence(e.Message);
            return null;
        }
    }

    private static string FirstSentence(string message) =>
        message.IndexOf(". ", StringComparison.Ordinal) is var end and > 0 ? message[..(end + 1)] : message;

    private static readonly JsonSerializerOptions Json = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 4,
    };
}
