using System.Diagnostics;
using Bridge.MediaWorker.Calls;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;
using Bridge.Tests.MediaWorker.Calls.Fakes;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>The call's tool runs on fake time: asynchronous, several at once, answered in the order they finish.</summary>
public sealed class CallToolTests
{
    [Fact]
    public async Task A_tool_runs_while_the_call_goes_on_streaming_and_gets_the_models_tool_use_id()
    {
        var lookup = new GatedTool("lookup_order");
        await using var call = FakeCall.Start(tools: [lookup]);
        call.Model.AsksForTool("lookup_order", "tooluse-7", """{"order":"A1"}""");
        call.Model.Speaks(TimeSpan.FromSeconds(1));
        await call.StepAsync(TimeSpan.FromSeconds(1.5));

        // The answer played while the tool ran.
        Assert.Equal(TimeSpan.FromSeconds(1), call.Twilio.Heard);
        Assert.Empty(call.Model.ToolResults);
        var invoked = Assert.Single(lookup.Calls);
        Assert.Equal(("tooluse-7", """{"order":"A1"}"""), (invoked.Context.ToolUseId, invoked.Input));
        Assert.Equal("CA0123456789abcdef0123456789abcdef", invoked.Context.CallSid);

        lookup.Finish("tooluse-7", """{"status":"shipped"}""");
        await FakeCall.WaitForAsync(() => call.Model.ToolResults.Count == 1, "the tool runner");
        Assert.Equal([("tooluse-7", """{"status":"shipped"}""")], call.Model.ToolResults);
        await call.HangUpAsync();
        Assert.Equal("lookup_order 1500 ms", call.Summary("Tools"));
    }

    [Fact]
    public async Task Several_tools_run_at_once_and_their_results_go_to_the_model_in_the_order_they_finish()
    {
        var slow = new GatedTool("check_stock");
        var fast = new GatedTool("check_price");
        await using var call = FakeCall.Start(tools: [slow, fast]);
        call.Model.AsksForTool("check_stock", "tooluse-1");
        call.Model.AsksForTool("check_price", "tooluse-2");
        await call.SettleAsync();
        await FakeCall.WaitForAsync(() => slow.Calls.Count == 1 && fast.Calls.Count == 1, "the tool runner");

        fast.Finish("tooluse-2", """{"price":3}""");
        await FakeCall.WaitForAsync(() => call.Model.ToolResults.Count == 1, "the tool runner");
        await call.StepAsync(TimeSpan.FromMilliseconds(200));
        slow.Finish("tooluse-1", """{"stock":12}""");
        await FakeCall.WaitForAsync(() => call.Model.ToolResults.Count == 2, "the tool runner");

        Assert.Equal(["tooluse-2", "tooluse-1"], call.Model.ToolResults.Select(r => r.Id));
        await call.HangUpAsync();
        Assert.Equal("check_price 0 ms, check_stock 200 ms", call.Summary("Tools"));
    }

    [Fact]
    public async Task The_call_ending_cancels_the_tools_still_running()
    {
        var forever = new GatedTool("long_search");
        await using var call = FakeCall.Start(tools: [forever]);
        call.Model.AsksForTool("long_search", "tooluse-1");
        await call.SettleAsync();
        await FakeCall.WaitForAsync(() => forever.Calls.Count == 1, "the tool runner");

        await call.HangUpAsync();

        Assert.True(forever.Calls[0].Cancellation.IsCancellationRequested);
        Assert.Empty(call.Model.ToolResults);
        Assert.Equal("long_search 0 ms (cancelled)", call.Summary("Tools"));
    }

    [Fact]
    public async Task An_unknown_or_failing_tool_is_answered_with_an_error_the_model_can_apologise_with()
    {
        await using var call = FakeCall.Start(tools: [new FailingTool()]);
        using var errors = call.Metric<long>("bridge.errors");
        call.Model.AsksForTool("no_such_tool", "tooluse-1");
        call.Model.AsksForTool("broken", "tooluse-2");
        await call.SettleAsync();
        await FakeCall.WaitForAsync(() => call.Model.ToolResults.Count == 2, "the tool runner");

        Assert.Equal("""{"error":"There is no such tool."}""", call.Model.ToolResults.Single(r => r.Id == "tooluse-1").Result);
        Assert.Equal("""{"error":"The tool failed. Tell the caller you could not do it."}""", call.Model.ToolResults.Single(r => r.Id == "tooluse-2").Result);
        Assert.Equal("tool", Assert.Single(errors.GetMeasurementSnapshot()).Tags["kind"]);
    }

    [Fact]
    public async Task Each_tool_run_is_a_span_under_the_calls_span()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CallTelemetry.MeterName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var callSpan = CallTelemetry.Activities.StartActivity("call under test");
        var lookup = new GatedTool("lookup_order");
        await using var call = FakeCall.Start(tools: [lookup]);
        call.Model.AsksForTool("lookup_order", "tooluse-9");
        await call.SettleAsync();
        await FakeCall.WaitForAsync(() => lookup.Calls.Count == 1, "the tool runner");
        lookup.Finish("tooluse-9", "{}");
        // The span ends just after the result has gone to the model.
        await FakeCall.WaitForAsync(() =>
        {
            lock (spans)
            {
                return spans.Any(s => s.OperationName == "tool lookup_order" && s.TraceId == callSpan!.TraceId);
            }
        }, "the tool's span");

        Activity span;
        lock (spans)
        {
            // Other tests' spans reach this listener too: this call's are in its own trace.
            span = Assert.Single(spans, s => s.OperationName == "tool lookup_order" && s.TraceId == callSpan!.TraceId);
        }
        Assert.Equal(callSpan!.SpanId, span.ParentSpanId);
        Assert.Equal("tooluse-9", span.GetTagItem("tool.use_id"));
        Assert.Equal("succeeded", span.GetTagItem("tool.outcome"));
    }

    [Fact]
    public async Task A_hang_up_waits_for_the_goodbye_to_be_heard_then_ends_the_call_through_twilio()
    {
        TimeSpan? hungUpAt = null;
        var hangUp = new EndingTool("hang_up", () => hungUpAt ??= default);
        await using var call = FakeCall.Start(tools: [hangUp]);
        hangUp.OnEnd = () => hungUpAt = call.Now;
        call.Model.AsksForTool("hang_up", "tooluse-1");
        call.Model.Speaks(TimeSpan.FromSeconds(1));
        call.Model.EndsTurn("Goodbye!");

        await call.StepUntilAsync(() => hungUpAt is not null, TimeSpan.FromSeconds(3), "the hang-up");
        // The goodbye was heard to its end, and the model had been quiet 1.5 s, before the line was hung up.
        Assert.Equal(TimeSpan.FromSeconds(1), call.Twilio.Heard);
        Assert.True(hungUpAt >= TimeSpan.FromSeconds(1.5), $"hung up at {hungUpAt}");
        // Twilio would end the stream now; this one does not, so the bridge closes its side 3 s later.
        await call.StepUntilAsync(() => call.Twilio.Closed is not null, TimeSpan.FromSeconds(3.5), "the close");
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "the call was ended by the assistant"), call.Twilio.Closed);
        Assert.Equal(CallEndReason.Tool, await call.EndedAsync());
    }

    private sealed class FailingTool : ICallTool
    {
        public NovaTool Definition { get; } = new("broken", "broken", """{"type":"object"}""");

        public Task<CallToolResult> InvokeAsync(CallToolContext context, string inputJson, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the backend is down");
    }

    /// <summary>Like hang_up: answers at once, and ends the call once the model's reply has been heard.</summary>
    private sealed class EndingTool(string name, Action onEnd) : ICallTool
    {
        public Action OnEnd { get; set; } = onEnd;

        public NovaTool Definition { get; } = new(name, name, """{"type":"object"}""");

        public Task<CallToolResult> InvokeAsync(CallToolContext context, string inputJson, CancellationToken cancellationToken) =>
            Task.FromResult(new CallToolResult("""{"status":"The call will end after your goodbye."}""", _ =>
            {
                OnEnd();
                return Task.CompletedTask;
            }));
    }
}
