using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bridge.HttpTools;

/// <summary>The tool results the model gets when the backend gave no usable answer: enough to apologise honestly.</summary>
internal static class ToolResults
{
    public static string Error(string message, string? detail = null)
    {
        var result = new JsonObject { ["error"] = message };
        if (detail is not null)
        {
            result["detail"] = detail;
        }
        return result.ToJsonString();
    }

    /// <summary>The backend's JSON as the result: an object as it is, anything else wrapped as <c>{"result": …}</c>.</summary>
    public static string FromBackend(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
            ? body.GetRawText()
            : new JsonObject { ["result"] = JsonNode.Parse(body.GetRawText()) }.ToJsonString();

    /// <summary>A short message a 4xx backend gave in <c>error</c> or <c>message</c>, for the model to relay.</summary>
    public static string? BackendMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var name in (string[])["error", "message"])
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object &&
                    document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    var text = value.GetString()!;
                    return text.Length <= 300 ? text : text[..300];
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
