using System.Diagnostics;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Runs the model's tool calls for one call, each on its own, while the call goes on streaming: several may run at
/// once, and each result goes to the model as soon as its tool finishes (so in the order they finish). A barge-in
/// cancels none: Nova 2 Sonic keeps its pending tool calls when the caller cuts in and still wants their results. The
/// call ending cancels them all. Each run is a span (<c>tool {name}</c>, under the call's) and a line of the summary
/// with its latency; a tool that ends the call hands its action to the call's <see cref="CallEnding"/>.
/// </summary>
internal sealed class CallToolRunner
{
    private static readonly string UnknownToolResult = """{"error":"There is no such tool."}""";
    private static readonly string FailedToolResult = """{"error":"The tool failed. Tell the caller you could not do it."}""";

    private readonly IReadOnlyDictionary<string, ICallTool> _tools;
    private readonly string _callSid;
    private readonly string _streamSid;
    private readonly INovaConversation _session;
    private readonly CallEnding _ending;
    private readonly CallTelemetry _telemetry;
    private readonly CallSummary _summary;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<Task> _running = [];

    public CallToolRunner(IEnumerable<ICallTool> tools, string callSid, string streamSid, INovaConversation session, CallEnding ending,
        CallTelemetry telemetry, CallSummary summary, TimeProvider time, ILogger logger)
    {
        _tools = tools.ToDictionary(t => t.Definition.Name, StringComparer.Ordinal);
        _callSid = callSid;
        _streamSid = streamSid;
        _session = session;
        _ending = ending;
        _telemetry = telemetry;
        _summary = summary;
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts the tool the model asked for; <paramref name="callEnding"/> cancels it.</summary>
    public void Start(NovaToolUse toolUse, CancellationToken callEnding)
    {
        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(RunAsync(toolUse, callEnding));
        }
    }

    /// <summary>The tools still running (to be settled when the call ends).</summary>
    public IReadOnlyList<Task> Running
    {
        get
        {
            lock (_running)
            {
                return [.. _running];
            }
        }
    }

    private async Task RunAsync(NovaToolUse toolUse, CancellationToken callEnding)
    {
        using var activity = CallTelemetry.Activities.StartActivity("tool " + toolUse.ToolName);
        activity?.SetTag("tool.name", toolUse.ToolName);
        activity?.SetTag("tool.use_id", toolUse.ToolUseId);
        var startedAt = _time.GetTimestamp();
        if (!_tools.TryGetValue(toolUse.ToolName, out var tool))
        {
            CallLog.UnknownTool(_logger, toolUse.ToolName);
            _session.SendToolResult(toolUse.ToolUseId, UnknownToolResult);
            Finished(toolUse, startedAt, "unknown", activity);
            return;
        }

        CallLog.ToolUse(_logger, toolUse.ToolName);
        CallToolResult result;
        try
        {
            result = await tool.InvokeAsync(new CallToolContext(_callSid, _streamSid, toolUse.ToolUseId), toolUse.InputJson, callEnding).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (callEnding.IsCancellationRequested)
        {
            Finished(toolUse, startedAt, "cancelled", activity);
            return;
        }
        catch (Exception e)
        {
            CallLog.ToolFailed(_logger, e, toolUse.ToolName);
            _telemetry.Error("tool");
            _session.SendToolResult(toolUse.ToolUseId, FailedToolResult);
            Finished(toolUse, startedAt, "failed", activity);
            return;
        }

        _session.SendToolResult(toolUse.ToolUseId, result.ResultJson);
        Finished(toolUse, startedAt, "succeeded", activity);
        if (result.EndCallAfterPlayback is { } endCall)
        {
            await _ending.EndAfterPlaybackAsync(endCall, callEnding).ConfigureAwait(false);
        }
    }

    private void Finished(NovaToolUse toolUse, long startedAt, string outcome, Activity? activity)
    {
        var latency = _time.GetElapsedTime(startedAt);
        activity?.SetTag("tool.outcome", outcome);
        if (outcome is "failed" or "unknown")
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
        }
        lock (_summary.Tools)
        {
            _summary.Tools.Add(new CallSummary.ToolRun(toolUse.ToolName, latency, outcome));
        }
    }
}
