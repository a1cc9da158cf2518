using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Calls.Tools;

/// <summary>
/// A tool the model may use during a call. Built-in: <c>hang_up</c> and <c>transfer_call</c>; register more with
/// <c>services.AddSingleton&lt;ICallTool, YourTool&gt;()</c>.
/// </summary>
public interface ICallTool
{
    /// <summary>The name, description and JSON input schema the model is given.</summary>
    NovaTool Definition { get; }

    /// <summary>
    /// Whether a barge-in cancels a run still pending (its token is cancelled, and the model is told the caller
    /// interrupted). Off unless a tool says so: built-ins answer at once.
    /// </summary>
    bool CancelOnBargeIn => false;

    /// <summary>Whether the tool starts its own <c>tool {name}</c> span; otherwise the call starts one around it.</summary>
    bool HasOwnSpan => false;

    /// <summary>Runs the tool for one call and says what to answer the model, and what (if anything) the call does next.</summary>
    Task<CallToolResult> InvokeAsync(CallToolContext context, string inputJson, CancellationToken cancellationToken);
}

/// <summary>
/// The live call a tool acts on, and the model's id of this tool call (<paramref name="ToolUseId"/>): the same for every
/// attempt at it, so a backend can tell a retry from a new request.
/// </summary>
public sealed record CallToolContext(string CallSid, string StreamSid, string ToolUseId);

/// <summary>
/// What a tool answers the model (<see cref="ResultJson"/>), and an action to take once the model's reply (its
/// goodbye, say) has been heard to the end — hanging up or transferring — after which the call is over.
/// <see cref="Outcome"/> names, for the summary and the span, how a tool that answered anyway went (an HTTP tool's
/// <c>timed-out</c>, say); <c>succeeded</c> when not given.
/// </summary>
public sealed record CallToolResult(string ResultJson, Func<CancellationToken, Task>? EndCallAfterPlayback = null, string? Outcome = null);
