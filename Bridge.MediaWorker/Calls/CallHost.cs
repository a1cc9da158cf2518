using System.Diagnostics;
using System.Net.WebSockets;
using Bridge.Audio;
using Bridge.MediaWorker.Agents;
using Bridge.MediaWorker.Bedrock;
using Bridge.MediaWorker.Nova;
using Bridge.MediaWorker.Twilio;
using Bridge.Security;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Takes a media stream WebSocket from Twilio to a running call: checks the upgrade's signature, admits the
/// call (503 when full or draining), reads start, checks the stream token and the audio format, opens the
/// model, and runs the call. Every refusal is logged with its reason and closes only that stream.
/// </summary>
public sealed partial class CallHost(
    TwilioSignatureValidator signatures,
    PublicUrl publicUrl,
    StreamToken streamToken,
    CallRegistry registry,
    NovaSonicSessionFactory models,
    AgentResolver agents,
    IOptions<AudioOptions> audio,
    IOptions<CallOptions> calls,
    IOptions<TwilioStreamOptions> streamOptions,
    CallTelemetry telemetry,
    WorkerResourceGauges gauges,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <summary>The trace span of one call, from its start to its end; exported whenever the call fails.</summary>
    public const string CallSpanName = "call";

    private readonly ILogger _logger = loggers.CreateLogger<CallHost>();

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "not-websocket", "A Twilio media stream WebSocket upgrade is expected here.");
            return;
        }
        var signature = context.CheckTwilioUpgrade(signatures, publicUrl);
        if (!signature.IsValid)
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "signature", signature.Reason);
            return;
        }
        using var lease = registry.TryAdmit();
        if (lease is null)
        {
            await Refuse(context, StatusCodes.Status503ServiceUnavailable, registry.IsDraining ? "draining" : "capacity", "This worker takes no more calls now.");
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var counted = gauges.MediaStreamOpened();
        await using var stream = new TwilioMediaStream(socket, streamOptions.Value, time);
        await RunStreamAsync(stream, context.RequestAborted);
    }

    private async Task RunStreamAsync(TwilioMediaStream stream, CancellationToken aborted)
    {
        TwilioStartInfo start;
        try
        {
            start = await stream.ReadStartAsync(aborted);
        }
        catch (TwilioStreamClosedException e)
        {
            await CloseRefused(stream, "start", e.Status, e.Message);
            return;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            telemetry.CallRefused("socket-lost");
            return;
        }

        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["CallSid"] = start.CallSid, ["StreamSid"] = start.StreamSid });
        using var activity = CallTelemetry.Activities.StartActivity(CallSpanName, ActivityKind.Server);
        activity?.SetTag("twilio.call_sid", start.CallSid);
        activity?.SetTag("twilio.stream_sid", start.StreamSid);

        var token = streamToken.Verify(start.CustomParameters, start.CallSid);
        if (token != StreamTokenCheck.Valid)
        {
            await CloseRefused(stream, "stream-token", WebSocketCloseStatus.PolicyViolation, $"stream token {token}");
            activity?.SetStatus(ActivityStatusCode.Error, "stream token " + token);
            return;
        }
        if (start.Encoding != "audio/x-mulaw" || start.SampleRate != TelephoneFrame.SampleRate || start.Channels != 1)
        {
            await CloseRefused(stream, "media-format", WebSocketCloseStatus.InvalidPayloadData, $"unsupported media format {start.Encoding}/{start.SampleRate}/{start.Channels}");
            activity?.SetStatus(ActivityStatusCode.Error, "unsupported media format");
            return;
        }

        var agent = agents.Resolve(start.CallSid, start.CustomParameters);
        activity?.SetTag("agent", agent.Name);
        NovaSonicSession session;
        try
        {
            session = await models.OpenAsync(agent.Setup, aborted);
        }
        catch (Exception e) when (e is BedrockStreamException or BrokenCircuitException or HttpRequestException or TimeoutException)
        {
            LogModelUnavailable(e);
            telemetry.Error("model-open");
            activity?.SetStatus(ActivityStatusCode.Error, "model unavailable");
            // Closing the socket makes Twilio ask the webhook's connect-ended, which apologises to the caller.
            await CloseRefused(stream, "model-unavailable", WebSocketCloseStatus.InternalServerError, "the assistant is unavailable");
            return;
        }

        LogCallStarted(start.CallSid);
        telemetry.CallStarted();
        var call = new BridgedCall(stream, start, session, agent.Tools, audio.Value, calls.Value, telemetry, time, loggers.CreateLogger<BridgedCall>());
        var reason = await call.RunAsync(registry.EndCallsRequested, aborted);
        activity?.SetTag("call.end_reason", reason);
        if (reason is "model-failed" or "malformed-frame")
        {
            activity?.SetStatus(ActivityStatusCode.Error, reason);
        }
    }

    private async Task Refuse(HttpContext context, int status, string reason, string detail)
    {
        LogRefused(reason, detail);
        telemetry.CallRefused(reason);
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(detail);
    }

    private async Task CloseRefused(TwilioMediaStream stream, string reason, WebSocketCloseStatus status, string detail)
    {
        LogRefused(reason, detail);
        telemetry.CallRefused(reason);
        await stream.CloseAsync(status, detail, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a media stream ({Reason}): {Detail}")]
    private partial void LogRefused(string reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} connected to the model")]
    private partial void LogCallStarted(string callSid);

    [LoggerMessage(Level = LogLevel.Error, Message = "The model could not be reached; the caller will hear the apology")]
    private partial void LogModelUnavailable(Exception e);
}
