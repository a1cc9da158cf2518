using System.Diagnostics;
using System.Text.Json;
using Bridge.Agents.Tools;
using Bridge.Audio;
using Bridge.HttpTools;
using Bridge.MediaWorker.Agents;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.HttpTools;
using Bridge.Tests.MediaWorker.Calls.Fakes;
using Bridge.Tests.Support;
using Json.Schema;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// A barge-in cancels the pending tools that ask for it (HTTP tools by default), and each is still answered once,
/// telling the model the caller interrupted; tools that do not ask, and tools asked for after, run on.
/// </summary>
public sealed class CallToolBargeInTests
{
    [Fact]
    public async Task The_models_barge_in_cancels_a_pending_tool_that_asks_for_it_and_the_model_is_told_why()
    {
        var flights = new GatedTool("find_flights", cancelOnBargeIn: true);
        var weather = new GatedTool("check_weather");
        await using var call = FakeCall.Start(tools: [flights, weather]);
        call.Model.AsksForTool("find_flights", "tooluse-1");
        call.Model.AsksForTool("check_weather", "tooluse-2");
        call.Model.Speaks(TimeSpan.FromSeconds(2));
        await call.StepAsync(TimeSpan.FromSeconds(0.5));
        Assert.Empty(call.Model.ToolResults);

        call.Model.BargesIn();
        await call.SettleAsync();
        await FakeCall.WaitForAsync(() => call.Model.ToolResults.Count == 1, "the cancelled tool's result");

        Assert.True(flights.CancellationOf("tooluse-1").IsCancellationRequested);
        Assert.False(weather.CancellationOf("tooluse-2").IsCancellationRequested);
        var (id, result) = Assert.Single(call.Model.ToolResults);
        Assert.Equal("tooluse-1", id);
        using (var answer = JsonDocument.Parse(result))
        {
            Assert.Equal("cancelled", answer.RootElement.GetProperty("status").GetString());
            Assert.Contains("caller interrupted", answer.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        // The caller asks again: the new call is not touched by the barge-in before it.
        call.Model.AsksForTool("find_flights", "tooluse-3");
        await call.StepAsync(TimeSpan.FromSeconds(0.2));
        await FakeCall.WaitForAsync(() => flights.Calls.Count == 2, "the second search");
        Assert.False(flights.CancellationOf("tooluse-3").IsCancellationRequested);
        flights.Finish("tooluse-3", """{"flights":2}""");
        await FakeCall.WaitForAsync(() => call.Model.ToolResults.Count == 2, "the second search's result");
        weather.Finish("tooluse-2", """{"sky":"clear"}""");
        await FakeCall.WaitForAsync(() => call.Model.ToolResults.Count == 3, "the other results");

        // Every tool use answered exactly once.
        Assert.Equal(["tooluse-1", "tooluse-2", "tooluse-3"], call.Model.ToolResults.Select(r => r.Id).Order());
        Assert.Single(call.Log.Collector.GetSnapshot(), r => r.Message == "The caller interrupted: tool find_flights is cancelled, and the model told so");
        await call.HangUpAsync();
        Assert.Equal("find_flights 500 ms (cancelled), find_flights 200 ms, check_weather 700 ms", call.Summary("Tools"));
    }

    [Fact]
    public async Task The_calls_own_barge_in_over_stale_audio_cancels_it_too()
    {
        var flights = new GatedTool("find_flights", cancelOnBargeIn: true);
        await using var call = FakeCall.Start(tools: [flights]);
        call.Model.AsksForTool("find_flights", "tooluse-1");
        call.Model.Speaks(TimeSpan.FromSeconds(2.5));
        await call.StepAsync(TimeSpan.FromSeconds(0.5));

        // A new model stream, which cannot hear the caller over the old one's audio: the call interrupts it itself.
        call.Model.Renews();
        call.Twilio.CallerSays(Tone.Speech(TimeSpan.FromSeconds(0.8)));
        await call.StepUntilAsync(() => call.Twilio.Clears == 1, TimeSpan.FromSeconds(1), "the local barge-in");
        await FakeCall.WaitForAsync(() => call.Model.ToolResults.Count == 1, "the cancelled tool's result");

        Assert.True(flights.CancellationOf("tooluse-1").IsCancellationRequested);
        Assert.Contains("\"cancelled\"", Assert.Single(call.Model.ToolResults).Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_tools_request_is_aborted_and_its_span_metric_and_summary_say_cancelled()
    {
        await using var backend = await ToolBackend.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        backend.Answer = async context =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        using var meters = TestTelemetry.NewMeters();
        using var durations = new MetricCollector<double>(meters.MeterFactory(), HttpToolTelemetry.Name, "bridge.tools.duration");
        // The listener hears every test's tool spans in this process: this call's are told apart by its own call SID.
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is HttpToolTelemetry.Name or CallTelemetry.MeterName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        var runner = new HttpToolRunner(new HttpToolClient(), Options.Create(new HttpToolsOptions { ["order_status"] = new() { Secret = ToolBackend.Secret } }),
            new HttpToolTelemetry(meters.MeterFactory()), TimeProvider.System, NullLogger<HttpToolRunner>.Instance);
        var tool = new HttpCallTool(OrderStatus(backend), runner, new ToolCallContext(callSid, "orders", "+14155550100", "+15005550010"));
        await using var call = FakeCall.Start(tools: [tool]);

        call.Model.AsksForTool("order_status", "tooluse-1", """{"orderNumber":"1042"}""");
        call.Model.Speaks(TimeSpan.FromSeconds(2));
        await call.StepAsync(TimeSpan.FromSeconds(0.5));
        await arrived.Task.WaitAsync(FakeCall.Patience);
        call.Model.BargesIn();
        await call.SettleAsync();

        await aborted.Task.WaitAsync(FakeCall.Patience);
        await FakeCall.WaitForAsync(() => call.Model.ToolResults.Count == 1, "the cancelled tool's result");
        Assert.Contains("\"cancelled\"", Assert.Single(call.Model.ToolResults).Result, StringComparison.Ordinal);
        Assert.True(Assert.Single(backend.Requests).SignatureValid);
        Assert.Equal("cancelled", Assert.Single(durations.GetMeasurementSnapshot()).Tags["outcome"]);
        await call.HangUpAsync();
        Assert.StartsWith("order_status ", call.Summary("Tools"), StringComparison.Ordinal);
        Assert.EndsWith(" ms (cancelled)", call.Summary("Tools"), StringComparison.Ordinal);
        lock (spans)
        {
            // One span for the tool (the HTTP runner's), not one inside another.
            var span = Assert.Single(spans, s => s.OperationName == "tool order_status" && Equals(s.GetTagItem("twilio.call_sid"), callSid));
            Assert.Equal(HttpToolTelemetry.Name, span.Source.Name);
            Assert.Equal("cancelled", span.GetTagItem("tool.outcome"));
            Assert.NotEqual(ActivityStatusCode.Error, span.Status);
        }
    }

    private static HttpToolDefinition OrderStatus(ToolBackend backend)
    {
        const string schema = """{"type":"object","properties":{"orderNumber":{"type":"string"}},"required":["orderNumber"]}""";
        return new HttpToolDefinition
        {
            Name = "order_status",
            Description = "Looks up an order.",
            InputSchemaJson = schema,
            InputSchema = JsonSchema.FromText(schema, new BuildOptions { SchemaRegistry = new SchemaRegistry() }),
            Url = backend.Url("/tools/order_status"),
        };
    }
}
