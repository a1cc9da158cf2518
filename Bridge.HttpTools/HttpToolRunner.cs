using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bridge.Agents.Tools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Bridge.HttpTools;

/// <summary>
/// Runs an HTTP tool for one model tool call: validates the input against the tool's schema, POSTs it signed with
/// the call's context to the backend, and turns whatever happens into a <see cref="ToolResult"/> — the backend's
/// JSON, or an error the model can apologise with. Never throws for what the backend or the model do; a cancelled
/// <c>CancellationToken</c> (barge-in, the call ending) gives <see cref="ToolOutcome.Cancelled"/>. Safe to call
/// concurrently, for several tools and calls at once.
/// </summary>
public sealed partial class HttpToolRunner(
    HttpToolClient http,
    IOptions<HttpToolsOptions> options,
    HttpToolTelemetry telemetry,
    TimeProvider time,
    ILogger<HttpToolRunner> logger)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<BackendAnswer>> _pipelines = new(StringComparer.Ordinal);

    public async Task<ToolResult> RunAsync(HttpToolDefinition tool, string toolUseId, string inputJson, ToolCallContext call, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var activity = HttpToolTelemetry.Activities.StartActivity("tool " + tool.Name, ActivityKind.Client);
        activity?.SetTag("tool.name", tool.Name);
        activity?.SetTag("tool.use_id", toolUseId);
        activity?.SetTag("twilio.call_sid", call.CallSid);
        activity?.SetTag("agent", call.Agent);

        var (outcome, resultJson, status, attempts) = await ExecuteAsync(tool, toolUseId, inputJson, call, cancellationToken).ConfigureAwait(false);
        var result = new ToolResult(tool.Name, toolUseId, outcome, resultJson, time.GetElapsedTime(started), status, attempts);

        activity?.SetTag("tool.outcome", HttpToolTelemetry.OutcomeTag(outcome));
        if (status is { } code)
        {
            activity?.SetTag("http.response.status_code", code);
        }
        if (!result.Succeeded && outcome != ToolOutcome.Cancelled)
        {
            activity?.SetStatus(ActivityStatusCode.Error, HttpToolTelemetry.OutcomeTag(outcome));
        }
        telemetry.Completed(result);
        if (result.Succeeded || outcome == ToolOutcome.Cancelled)
        {
            LogCompleted(call.CallSid, tool.Name, HttpToolTelemetry.OutcomeTag(outcome), result.Duration.TotalMilliseconds, status);
        }
        else
        {
            LogFailed(call.CallSid, tool.Name, HttpToolTelemetry.OutcomeTag(outcome), result.Duration.TotalMilliseconds, status);
        }
        return result;
    }

    private async Task<(ToolOutcome, string, int?, int)> ExecuteAsync(
        HttpToolDefinition tool, string toolUseId, string inputJson, ToolCallContext call, CancellationToken cancellationToken)
    {
        JsonDocument input;
        try
        {
            input = JsonDocument.Parse(string.IsNullOrWhiteSpace(inputJson) ? "{}" : inputJson);
        }
        catch (JsonException)
        {
            return (ToolOutcome.InvalidInput, ToolResults.Error("The tool's input was not JSON. Call the tool again with a JSON object matching its schema."), null, 0);
        }

        using (input)
        {
            if (ToolInputSchemas.Validate(tool.InputSchema, input.RootElement) is { } invalid)
            {
                return (ToolOutcome.InvalidInput, ToolResults.Error(
                    "The input did not match the tool's schema. Ask the caller for what is missing or wrong, then call the tool again.", invalid), null, 0);
            }
            if (options.Value.GetValueOrDefault(tool.Name)?.Secret is not { Length: > 0 } secret)
            {
                LogNoSecret(tool.Name);
                return (ToolOutcome.Failed, Unavailable(tool), null, 0);
            }

            var url = options.Value.GetValueOrDefault(tool.Name)?.Url is { } overridden ? new Uri(overridden) : tool.Url;
            var body = RequestBody(tool.Name, toolUseId, input.RootElement, call);
            var attempts = 0;
            try
            {
                var answer = await Pipeline(tool).ExecuteAsync(async token =>
                {
                    attempts++;
                    return await SendAsync(tool, toolUseId, url, Encoding.UTF8.GetBytes(secret), body, token).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
                var (outcome, json) = Interpret(tool, answer);
                return (outcome, json, answer.Status, attempts);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (ToolOutcome.Cancelled, ToolResults.Error("The tool call was cancelled."), null, attempts);
            }
            catch (TimeoutRejectedException)
            {
                return (ToolOutcome.TimedOut, ToolResults.Error(
                    $"The {tool.Name} service did not answer in time. Apologise, and offer to try again or to help another way."), null, attempts);
            }
            catch (BrokenCircuitException)
            {
                return (ToolOutcome.Unavailable, Unavailable(tool), null, attempts);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                LogUnreachable(e, tool.Name);
                return (ToolOutcome.Unreachable, Unavailable(tool), null, attempts);
            }
        }
    }

    private static string Unavailable(HttpToolDefinition tool) =>
        ToolResults.Error($"The {tool.Name} service is unavailable right now. Apologise, and offer to help another way or to call back later.");

    private static (ToolOutcome, string) Interpret(HttpToolDefinition tool, BackendAnswer answer)
    {
        if (answer.TooLarge)
        {
            return (ToolOutcome.ResponseTooLarge, ToolResults.Error(
                $"The {tool.Name} service sent an answer too large to use. Apologise and offer to help another way."));
        }
        if (answer.Status is >= 400 and < 500)
        {
            return (ToolOutcome.Refused, ToolResults.Error(
                $"The {tool.Name} service refused the request (HTTP {answer.Status}). Tell the caller it could not be done, and why if the detail says.",
                ToolResults.BackendMessage(answer.Body)));
        }
        if (answer.Status is < 200 or >= 300)
        {
            return (ToolOutcome.Failed, ToolResults.Error(
                $"The {tool.Name} service failed (HTTP {answer.Status}). Apologise, and offer to try again or to help another way."));
        }
        if (answer.Body.Length == 0)
        {
            return (ToolOutcome.Succeeded, """{"status":"done"}""");
        }
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            return (ToolOutcome.Succeeded, ToolResults.FromBackend(document.RootElement));
        }
        catch (JsonException)
        {
            return (ToolOutcome.BadResponse, ToolResults.Error(
                $"The {tool.Name} service sent an answer that could not be read. Apologise and offer to help another way."));
        }
    }

    private async Task<BackendAnswer> SendAsync(HttpToolDefinition tool, string toolUseId, Uri url, byte[] secret, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(ToolRequestSigner.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(ToolRequestSigner.SignatureHeader, ToolRequestSigner.Sign(secret, timestamp, body));
        request.Headers.Add(ToolRequestSigner.ToolHeader, tool.Name);
        request.Headers.Add(ToolRequestSigner.ToolUseIdHeader, toolUseId);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentLength > tool.MaxResponseBytes)
        {
            return new BackendAnswer(status, [], TooLarge: true);
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[tool.MaxResponseBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
            return length > tool.MaxResponseBytes
                ? new BackendAnswer(status, [], TooLarge: true)
                : new BackendAnswer(status, buffer[..length], TooLarge: false);
        }
    }

    /// <summary>The JSON the backend receives: the tool, the model's input as given, and the call it is for.</summary>
    private static byte[] RequestBody(string tool, string toolUseId, JsonElement input, ToolCallContext call)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("tool", tool);
            writer.WriteString("toolUseId", toolUseId);
            writer.WritePropertyName("input");
            input.WriteTo(writer);
            writer.WriteStartObject("call");
            writer.WriteString("callSid", call.CallSid);
            writer.WriteString("agent", call.Agent);
            writer.WriteString("caller", call.Caller);
            writer.WriteString("called", call.Called);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// One pipeline per tool, kept for the process's life so its circuit breaker remembers: the tool's timeout over
    /// everything; retries only for a tool that says it is idempotent (<c>"retry": true</c>); a breaker that stops
    /// calling a backend that keeps failing, so the model hears at once that it is unavailable.
    /// </summary>
    private ResiliencePipeline<BackendAnswer> Pipeline(HttpToolDefinition tool) => _pipelines.GetOrAdd(tool.Name, _ =>
    {
        var transient = new PredicateBuilder<BackendAnswer>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(answer => answer.Status is >= 500 or 408 or 429);
        var builder = new ResiliencePipelineBuilder<BackendAnswer> { TimeProvider = time }.AddTimeout(tool.Timeout);
        if (tool.Retry)
        {
            builder.AddRetry(new RetryStrategyOptions<BackendAnswer>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<BackendAnswer>
        {
            ShouldHandle = transient,
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(15),
        });
        if (tool.Retry)
        {
            // Each attempt gets a part of the budget, so a hung attempt leaves time for another.
            builder.AddTimeout(TimeSpan.FromTicks(Math.Max(tool.Timeout.Ticks * 2 / 5, TimeSpan.FromMilliseconds(50).Ticks)));
        }
        return builder.Build();
    });

    private sealed record BackendAnswer(int Status, byte[] Body, bool TooLarge);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: tool {Tool} {Outcome} in {ElapsedMs:0} ms (HTTP {Status})")]
    private partial void LogCompleted(string callSid, string tool, string outcome, double elapsedMs, int? status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: tool {Tool} {Outcome} after {ElapsedMs:0} ms (HTTP {Status}); the model is told to apologise")]
    private partial void LogFailed(string callSid, string tool, string outcome, double elapsedMs, int? status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool}: its backend could not be reached")]
    private partial void LogUnreachable(Exception e, string tool);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} has no HttpTools:{Tool}:Secret; its requests cannot be signed")]
    private partial void LogNoSecret(string tool);
}
