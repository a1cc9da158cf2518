using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Text.Json;
using Bridge.Agents.Tools;
using Bridge.HttpTools;
using Bridge.Tests.Support;
using Json.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.HttpTools;

/// <summary>The HTTP tool runner against a real backend on loopback: what it sends, and what each failure becomes.</summary>
public sealed class HttpToolRunnerTests : IAsyncLifetime
{
    private static readonly ToolCallContext Call = new("CA0123456789abcdef0123456789abcdef", "sales", "+14155552671", "+15005550006");
    private readonly ServiceProvider _meters = TestTelemetry.NewMeters();
    private ToolBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await ToolBackend.StartAsync();

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        _meters.Dispose();
    }

    private HttpToolDefinition Tool(TimeSpan? timeout = null, bool retry = false, int maxResponseBytes = 1024, string name = "order_status") => new()
    {
        Name = name,
        Description = "Looks up an order.",
        InputSchemaJson = """{"type":"object","properties":{"orderNumber":{"type":"string","pattern":"^[0-9]{4}$"}},"required":["orderNumber"]}""",
        InputSchema = JsonSchema.FromText("""{"type":"object","properties":{"orderNumber":{"type":"string","pattern":"^[0-9]{4}$"}},"required":["orderNumber"]}""",
            new BuildOptions { SchemaRegistry = new SchemaRegistry() }),
        Url = _backend.Url("/tools/" + name),
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        Retry = retry,
        MaxResponseBytes = maxResponseBytes,
    };

    private HttpToolRunner Runner(string secret = ToolBackend.Secret, string name = "order_status")
    {
        var options = new HttpToolsOptions { [name] = new HttpToolSettings { Secret = secret } };
        return new HttpToolRunner(new HttpToolClient(), Options.Create(options), new HttpToolTelemetry(_meters.MeterFactory()),
            TimeProvider.System, NullLogger<HttpToolRunner>.Instance);
    }

    [Fact]
    public async Task The_backend_gets_a_signed_request_with_the_input_and_the_call_and_its_answer_is_the_result()
    {
        var result = await Runner().RunAsync(Tool(), "tooluse-1", """{"orderNumber":"1042"}""", Call, CancellationToken.None);

        Assert.Equal(ToolOutcome.Succeeded, result.Outcome);
        Assert.Equal("""{"status":"shipped"}""", result.ResultJson);
        Assert.Equal(200, result.HttpStatus);
        var request = Assert.Single(_backend.Requests);
        Assert.True(request.SignatureValid);
        Assert.Equal(("/tools/order_status", "order_status", "tooluse-1"), (request.Path, request.Tool, request.ToolUseId));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("1042", body.RootElement.GetProperty("input").GetProperty("orderNumber").GetString());
        var call = body.RootElement.GetProperty("call");
        Assert.Equal((Call.CallSid, "sales", "+14155552671", "+15005550006"),
            (call.GetProperty("callSid").GetString(), call.GetProperty("agent").GetString(), call.GetProperty("caller").GetString(), call.GetProperty("called").GetString()));
    }

    [Fact]
    public async Task A_request_signed_with_another_secret_fails_the_backend_s_check()
    {
        var result = await Runner(secret: "another-secret-0123456789abcdef-0123456").RunAsync(Tool(), "tooluse-1", """{"orderNumber":"1042"}""", Call, CancellationToken.None);

        Assert.False(Assert.Single(_backend.Requests).SignatureValid);
        Assert.Equal((ToolOutcome.Refused, 401), (result.Outcome, result.HttpStatus));
    }

    [Theory]
    [InlineData("""{"orderNumber":"12"}""", "/orderNumber")]
    [InlineData("""{}""", "orderNumber")]
    [InlineData("""not json""", "not JSON")]
    public async Task Input_that_does_not_match_the_schema_is_refused_before_any_request(string input, string named)
    {
        var result = await Runner().RunAsync(Tool(), "tooluse-1", input, Call, CancellationToken.None);

        Assert.Equal(ToolOutcome.InvalidInput, result.Outcome);
        Assert.Contains(named, result.ResultJson, StringComparison.Ordinal);
        Assert.Empty(_backend.Requests);
        AssertApology(result);
    }

    [Fact]
    public async Task A_backend_that_does_not_answer_in_time_gives_an_apology_result()
    {
        using var release = new CancellationTokenSource();
        _backend.Answer = context => Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(release.Token, context.RequestAborted).Token);

        var result = await Runner().RunAsync(Tool(timeout: TimeSpan.FromMilliseconds(300)), "tooluse-1", """{"orderNumber":"1042"}""", Call, CancellationToken.None);
        await release.CancelAsync();

        Assert.Equal(ToolOutcome.TimedOut, result.Outcome);
        Assert.Contains("did not answer in time", result.ResultJson, StringComparison.Ordinal);
        AssertApology(result);
    }

    [Theory]
    [InlineData(500, "not json", ToolOutcome.Failed)]
    [InlineData(503, "", ToolOutcome.Failed)]
    [InlineData(200, "{\"status\":", ToolOutcome.BadResponse)]
    [InlineData(200, "<html>ok</html>", ToolOutcome.BadResponse)]
    [InlineData(404, """{"error":"No order 1042."}""", ToolOutcome.Refused)]
    public async Task A_failed_or_unreadable_answer_becomes_an_apology_result(int status, string body, ToolOutcome outcome)
    {
        _backend.Answer = context =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync(body);
        };

        var result = await Runner().RunAsync(Tool(), "tooluse-1", """{"orderNumber":"1042"}""", Call, CancellationToken.None);

        Assert.Equal((outcome, status), (result.Outcome, result.HttpStatus));
        AssertApology(result);
        Assert.Single(_backend.Requests);
        if (status == 404)
        {
            Assert.Equal("No order 1042.", JsonDocument.Parse(result.ResultJson).RootElement.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_oversized_answer_is_not_passed_to_the_model(bool announced)
    {
        var large = "{\"padding\":\"" + new string('x', 2048) + "\"}";
        _backend.Answer = async context =>
        {
            if (!announced)
            {
                // Chunked: the size is known only by reading.
                await context.Response.Body.FlushAsync();
            }
            await context.Response.WriteAsync(large);
        };

        var result = await Runner().RunAsync(Tool(maxResponseBytes: 1024), "tooluse-1", """{"orderNumber":"1042"}""", Call, CancellationToken.None);

        Assert.Equal(ToolOutcome.ResponseTooLarge, result.Outcome);
        Assert.DoesNotContain("xxxx", result.ResultJson, StringComparison.Ordinal);
        AssertApology(result);
    }

    [Fact]
    public async Task A_tool_that_allows_retries_is_tried_again_after_a_5xx()
    {
        var answers = 0;
        _backend.Answer = context =>
        {
            if (Interlocked.Increment(ref answers) == 1)
            {
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }
            return context.Response.WriteAsync("""{"status":"shipped"}""");
        };

        var result = await Runner().RunAsync(Tool(retry: true), "tooluse-1", """{"orderNumber":"1042"}""", Call, CancellationToken.None);

        Assert.Equal((ToolOutcome.Succeeded, 2), (result.Outcome, result.Attempts));
        Assert.Equal(2, _backend.Requests.Count);
        Assert.Single(_backend.Requests.Select(r => r.ToolUseId).Distinct());
    }

    [Fact]
    public async Task A_tool_that_does_not_allow_retries_is_called_once()
    {
        _backend.Answer = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };

        var result = await Runner().RunAsync(Tool(retry: false), "tooluse-1", """{"orderNumber":"1042"}""", Call, CancellationToken.None);

        Assert.Equal((ToolOutcome.Failed, 1), (result.Outcome, result.Attempts));
        Assert.Single(_backend.Requests);
    }

    [Fact]
    public async Task An_unreachable_backend_gives_an_apology_result()
    {
        var tool = Tool() with { Url = new Uri("http://127.0.0.1:9/tools/order_status") };

        var result = await Runner().RunAsync(tool, "tooluse-1", """{"orderNumber":"1042"}""", Call, CancellationToken.None);

        Assert.Equal(ToolOutcome.Unreachable, result.Outcome);
        AssertApology(result);
    }

    [Fact]
    public async Task Cancelling_a_pending_call_gives_a_cancelled_result_that_must_not_reach_the_model()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _backend.Answer = async context =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        using var bargeIn = new CancellationTokenSource();

        var running = Runner().RunAsync(Tool(), "tooluse-1", """{"orderNumber":"1042"}""", Call, bargeIn.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await bargeIn.CancelAsync();
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ToolOutcome.Cancelled, result.Outcome);
        Assert.False(result.ShouldReachModel);
    }

    [Fact]
    public async Task Each_call_is_a_span_with_its_http_request_as_child_and_a_latency_measurement()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is HttpToolTelemetry.Name or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var durations = new MetricCollector<double>(_meters.MeterFactory(), HttpToolTelemetry.Name, "bridge.tools.duration");

        // Other tests' spans reach this listener too: this run's is told apart by its own tool-use id.
        var toolUseId = "tooluse-" + Guid.NewGuid().ToString("N");
        await Runner().RunAsync(Tool(), toolUseId, """{"orderNumber":"1042"}""", Call, CancellationToken.None);

        Activity tool, http;
        lock (spans)
        {
            tool = spans.Single(s => s.Source.Name == HttpToolTelemetry.Name && Equals(s.GetTagItem("tool.use_id"), toolUseId));
            http = spans.Single(s => s.Source.Name == "System.Net.Http" && s.TraceId == tool.TraceId);
        }
        Assert.Equal("tool order_status", tool.DisplayName);
        Assert.Equal("succeeded", tool.GetTagItem("tool.outcome"));
        Assert.Equal(tool.SpanId, http.ParentSpanId);
        var measurement = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal(("order_status", "succeeded"), ((string)measurement.Tags["tool"]!, (string)measurement.Tags["outcome"]!));
        Assert.True(measurement.Value > 0);
    }

    private static void AssertApology(ToolResult result)
    {
        using var json = JsonDocument.Parse(result.ResultJson);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error").GetString()));
        Assert.True(result.ShouldReachModel);
    }
}
