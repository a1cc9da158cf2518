namespace Bridge.HttpTools;

/// <summary>How a tool call ended.</summary>
public enum ToolOutcome
{
    /// <summary>The backend answered 2xx with JSON: <see cref="ToolResult.ResultJson"/> is its body.</summary>
    Succeeded,

    /// <summary>The model's input did not match the tool's schema; no request was made.</summary>
    InvalidInput,

    /// <summary>No answer within the tool's timeout (retries included).</summary>
    TimedOut,

    /// <summary>The backend answered 4xx.</summary>
    Refused,

    /// <summary>The backend answered 5xx (after retries, for a tool that allows them).</summary>
    Failed,

    /// <summary>The backend answered 2xx with a body that is not JSON.</summary>
    BadResponse,

    /// <summary>The backend's answer was larger than the tool's <c>maxResponseBytes</c>.</summary>
    ResponseTooLarge,

    /// <summary>The backend could not be reached (DNS, connection, TLS).</summary>
    Unreachable,

    /// <summary>The tool's circuit is open after repeated failures: no request was made.</summary>
    Unavailable,

    /// <summary>
    /// The caller's token was cancelled (a barge-in, the call ending): <see cref="ToolResult.ResultJson"/> is not for the
    /// model; the call says why itself (or says nothing, as the call is over).
    /// </summary>
    Cancelled,
}

/// <summary>
/// The end of one tool call. <see cref="ResultJson"/> is always a JSON object the model can act on: the backend's
/// answer, or an error that tells the model to apologise. Only <see cref="ToolOutcome.Cancelled"/>'s should not be sent.
/// </summary>
public sealed record ToolResult(
    string ToolName,
    string ToolUseId,
    ToolOutcome Outcome,
    string ResultJson,
    TimeSpan Duration,
    int? HttpStatus = null,
    int Attempts = 0)
{
    public bool Succeeded => Outcome == ToolOutcome.Succeeded;

    /// <summary>Whether the result belongs in the conversation as it is (everything but a cancelled call).</summary>
    public bool ShouldReachModel => Outcome != ToolOutcome.Cancelled;
}
