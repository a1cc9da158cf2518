using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;

namespace Bridge.Tests.MediaWorker.Calls.Fakes;

/// <summary>A tool that answers when the test says so (or never), and records how it was called.</summary>
internal sealed class GatedTool(string name, bool cancelOnBargeIn = false) : ICallTool
{
    private readonly Dictionary<string, TaskCompletionSource<string>> _results = [];

    public NovaTool Definition { get; } = new(name, name, """{"type":"object"}""");

    public bool CancelOnBargeIn => cancelOnBargeIn;

    public List<(CallToolContext Context, string Input, CancellationToken Cancellation)> Calls { get; } = [];

    public void Finish(string toolUseId, string resultJson)
    {
        lock (_results)
        {
            _results[toolUseId].TrySetResult(resultJson);
        }
    }

    public CancellationToken CancellationOf(string toolUseId)
    {
        lock (_results)
        {
            return Calls.Single(c => c.Context.ToolUseId == toolUseId).Cancellation;
        }
    }

    public async Task<CallToolResult> InvokeAsync(CallToolContext context, string inputJson, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_results)
        {
            _results[context.ToolUseId] = result;
            Calls.Add((context, inputJson, cancellationToken));
        }
        return new CallToolResult(await result.Task.WaitAsync(cancellationToken));
    }
}
