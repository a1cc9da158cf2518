using System.Diagnostics;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Runs the model's tool calls for one call, each on its own, while the call goes on streaming: several may run at
/// once, and each result goes to the model as soon as its tool finishes (so in the order they finish). A barge-in
/// cancels the pending runs of tools that ask for it (<see cref="ICallTool.CancelOnBargeIn"/>): Nova 2 Sonic keeps
/// its pending tool calls when the caller cuts in, so each is still answered, once, with a result saying the caller
/// interrupted. The call ending cancels them all (nothing is answered then: the model stream is closing). Each run is
/// a span (<c>tool {name}</c>, under the call's, unless the tool makes its own) and a line of the summary with its
/// latency and outcome; a tool that ends the call hands its action to the call's <see cref="CallEnding"/>.
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
    private readonly List<CancellationTokenSource> _interruptible = [];

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

    /// <summary>
    /// The caller talked over the model: the pending runs of tools that a barge-in cancels are cancelled (their
    /// results tell the model why). Runs the model asks for after this are not affected.
    /// </summary>
    public void CallerInterrupted()
    {
        lock (_running)
        {
            foreach (var run in _interruptible)
            {
                // Not Cancel(): a tool's continuation must not run inline, under this lock.
                _ = run.CancelAsync();
            }
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
        var known = _tools.TryGetValue(toolUse.ToolName, out var tool);
        // A tool with a span of its own (an HTTP tool's, with its request under it) is not wrapped in a second one.
        using var activity = known && tool!.HasOwnSpan ? null : CallTelemetry.Activities.StartActivity("tool " + toolUse.ToolName);
        activity?.SetTag("tool.name", toolUse.ToolName);
        activity?.SetTag("tool.use_id", toolUse.ToolUseId);
        var startedAt = _time.GetTimestamp();
        if (!known)
        {
            CallLog.UnknownTool(_logger, toolUse.ToolName);
            _session.SendToolResult(toolUse.ToolUseId, UnknownToolResult);
            Finished(toolUse, startedAt, "unknown", activity);
            return;
        }

        CallLog.ToolUse(_logger, toolUse.ToolName);
        using var interrupted = tool!.CancelOnBargeIn ? CancellationTokenSource.CreateLinkedTokenSource(callEnding) : null;
        CallToolResult result;
        try
        {
            if (interrupted is not null)
            {
                lock (_running)
                {
                    _interruptible.Add(interrupted);
                }
            }
            result = await tool.InvokeAsync(new CallToolContext(_callSid, _streamSid, toolUse.ToolUseId), toolUse.InputJson, interrupted?.Token ?? callEnding)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (callEnding.IsCancellationRequested)
        {
            Finished(toolUse, startedAt, "cancelled", activity);
            return;
        }
        catch (OperationCanceledException) when (interrupted?.IsCancellationRequested == true)
        {
            CallLog.ToolCancelledByBargeIn(_logger, toolUse.ToolName);
            _session.SendToolResult(toolUse.ToolUseId, CancelledByBargeIn(toolUse.ToolName));
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
        finally
        {
            if (interrupted is not null)
            {
                lock (_running)
                {
                    _interruptible.Remove(interrupted);
                }
            }
        }

        _session.SendToolResult(toolUse.ToolUseId, result.ResultJson);
        Finished(toolUse, startedAt, result.Outcome ?? "succeeded", activity);
        if (result.EndCallAfterPlayback is { } endCall)
        {
            await _ending.EndAfterPlaybackAsync(endCall, callEnding).ConfigureAwait(false);
        }
    }

    private static string CancelledByBargeIn(string tool) => new System.Text.Json.Nodes.JsonObject
    {
        ["status"] = "cancelled",
        ["reason"] = $"The caller interrupted before {tool} answered, so the request was stopped. If they still want it, call {tool} again.",
    }.ToJsonString();

    private void Finished(NovaToolUse toolUse, long startedAt, string outcome, Activity? activity)
    {
        var latency = _time.GetElapsedTime(startedAt);
        activity?.SetTag("tool.outcome", outcome);
        if (outcome is not ("succeeded" or "cancelled"))
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
        }
        lock (_summary.Tools)
        {
            _summary.Tools.Add(new CallSummary.ToolRun(toolUse.ToolName, latency, outcome));
        }
    }
}
