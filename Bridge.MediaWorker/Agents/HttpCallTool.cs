using Bridge.Agents.Tools;
using Bridge.HttpTools;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.MediaWorker.Nova;

namespace Bridge.MediaWorker.Agents;

/// <summary>An HTTP tool of the call's agent, run by <see cref="HttpToolRunner"/> for this call.</summary>
public sealed class HttpCallTool(HttpToolDefinition tool, HttpToolRunner runner, ToolCallContext call) : ICallTool
{
    public NovaTool Definition { get; } = new(tool.Name, tool.Description, tool.InputSchemaJson);

    public async Task<CallToolResult> InvokeAsync(CallToolContext context, string inputJson, CancellationToken cancellationToken)
    {
        // ICallTool is not told the model's toolUseId yet (part B of #15 threads it through); this one still keys a
        // backend's de-duplication across the runner's retries of this call.
        var result = await runner.RunAsync(tool, Guid.NewGuid().ToString(), inputJson, call, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new CallToolResult(result.ResultJson);
    }
}
