using Bridge.Agents.Tools;
using Bridge.HttpTools;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Agents;

/// <summary>An HTTP tool of the call's agent, run by <see cref="HttpToolRunner"/> for this call.</summary>
public sealed class HttpCallTool(HttpToolDefinition tool, HttpToolRunner runner, ToolCallContext call) : ICallTool
{
    public NovaTool Definition { get; } = new(tool.Name, tool.Description, tool.InputSchemaJson);

    public bool CancelOnBargeIn => tool.CancelOnBargeIn;

    /// <summary>The runner's span, with the HTTP request under it and the tool's own outcome.</summary>
    public bool HasOwnSpan => true;

    public async Task<CallToolResult> InvokeAsync(CallToolContext context, string inputJson, CancellationToken cancellationToken)
    {
        // The model's own id of the tool call: it keys a backend's de-duplication across the runner's retries.
        var result = await runner.RunAsync(tool, context.ToolUseId, inputJson, call, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new CallToolResult(result.ResultJson, Outcome: HttpToolTelemetry.OutcomeTag(result.Outcome));
    }
}
