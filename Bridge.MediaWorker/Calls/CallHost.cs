using System.Diagnostics;
using System.Net.WebSockets;
using Bridge.Audio;
using Bridge.Buffers;
using Bridge.MediaWorker.Agents;
using Bridge.MediaWorker.Outbound;
using Bridge.Bedrock;
using Bridge.NovaSonic;
using Bridge.TwilioMedia;
using Bridge.Security;
using Bridge.Security.RateLimits;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Takes a media stream WebSocket from Twilio to a running call: checks the upgrade's signature, refuses a full or
/// draining worker or one short of memory (503; memory by <see cref="MemoryHealthRule"/>, as readiness judges it), lets
/// the socket wait for <c>start</c> in the small pre-start pool (per-address capped, with a short start timeout),
/// admits the call once its start and stream token check out (<see cref="StreamAdmission"/>), opens the model, and
/// runs the call within its <see cref="CallLimits"/>. Every refusal is counted and logged with its reason and closes
/// only that stream.
/// </summary>
public sealed partial class CallHost(
    TwilioSignatureValidator signatures,
    PublicUrl publicUrl,
    CallRegistry registry,
    MemoryHealthRule memory,
    PendingStreams pendingStreams,
    StreamAdmission admission,
    MediaStreamRefusals refusals,
    NovaSonicSessionFactory models,
    AgentResolver agents,
    CallFactory calls,
    ConversationCallbacks conversations,
    IOptions<TwilioStreamOptions> streamOptions,
    CallTelemetry telemetry,
    WorkerResourceGauges gauges,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <summary>The trace span of one call, from its start to its end; exported whenever the call fails.</summary>
    public const string CallSpanName = "call";

    /// <summary>The call span's tag holding the CallSid (the ECS collector indexes it in X-Ray, to find a call's trace).</summary>
    public const string CallSidTag = "twilio.call_sid";

    private const string NoMoreCalls = "This worker takes no more calls now.";

    private readonly ILogger _logger = loggers.CreateLogger<CallHost>();

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await refusals.RefuseAsync(context, StatusCodes.Status400BadRequest, "not-websocket", "A Twilio media stream WebSocket upgrade is expected here.");
            return;
        }
        var signature = context.CheckTwilioUpgrade(signatures, publicUrl);
        if (!signature.IsValid)
        {
            await refusals.RefuseAsync(context, StatusCodes.Status403Forbidden, "signature", signature.Reason);
            return;
        }
        if (!registry.CanAdmit)
        {
            await refusals.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, registry.IsDraining ? "draining" : "capacity", NoMoreCalls);
            return;
        }
        // Readiness says the same, but the load balancer asks liveness (a full worker must not be replaced): a worker
        // short of memory turns new streams away itself, so that its live calls are not lost with it to the OOM killer.
        if (memory.IsUnhealthy(out var shortOfMemory))
        {
            await refusals.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "memory", $"this worker is short of memory: {shortOfMemory}", NoMoreCalls);
            return;
        }
        var address = ClientAddress.PartitionKey(context.Connection.RemoteIpAddress);
        using var pending = pendingStreams.TryEnter(address);
        if (pending is null)
        {
            await refusals.RefuseAsync(context, StatusCodes.Status429TooManyRequests, "pending-per-address",
                $"{address} already has {pendingStreams.MaxPerAddress} media streams waiting for their start.");
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var counted = gauges.MediaStreamOpened();
        // The upgraded connection, when this worker's middleware wrapped it: a tick's frames then leave in one write.
        await using var stream = new TwilioMediaStream(socket, streamOptions.Value, time, context.Features.Get<CoalescingStream>());
        await RunStreamAsync(stream, pending, context.RequestAborted);
    }

    private async Task RunStreamAsync(TwilioMediaStream stream, PendingStream pending, CancellationToken aborted)
    {
        if (await ReadStartAsync(stream, pending, aborted) is not { } start)
        {
            return;
        }
        var startedAt = time.GetTimestamp();

        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["CallSid"] = start.CallSid, ["StreamSid"] = start.StreamSid });
        using var activity = CallTelemetry.Activities.StartActivity(CallSpanName, ActivityKind.Server);
        activity?.SetTag(CallSidTag, start.CallSid);
        activity?.SetTag("twilio.stream_sid", start.StreamSid);

        StreamAdmission.Admitted? admitted;
        try
        {
            (admitted, var refusal) = await admission.AdmitAsync(stream, start, pending, aborted);
            if (admitted is null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, refusal);
                return;
            }
        }
        catch (OperationCanceledException)
        {
            refusals.Count("socket-lost", "the socket closed while the call was being confirmed");
            return;
        }
        using var call = admitted;

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
            await refusals.CloseAsync(stream, "model-unavailable", WebSocketCloseStatus.InternalServerError, "the assistant is unavailable");
            return;
        }

        LogCallStarted(start.CallSid);
        telemetry.CallStarted();
        var outbound = conversations.Begin(start, agent.Name, startedAt);
        var bridged = calls.Create(stream, start, session, agent, startedAt, outbound?.Transcript);
        var reason = await bridged.RunAsync(registry.EndCallsRequested, aborted);
        if (outbound is not null)
        {
            // After the call, on its own: the call's end and its slot never wait for the operator.
            conversations.Send(outbound, bridged.Summary);
        }
        activity?.SetTag("call.end_reason", reason.Tag());
        if (reason.IsFailure())
        {
            activity?.SetStatus(ActivityStatusCode.Error, reason.Tag());
        }
    }

    /// <summary>
    /// <c>connected</c> and <c>start</c>, within <c>Twilio:MediaStream:StartTimeout</c> and while the socket keeps its
    /// place in the pre-start pool; null (the stream refused and counted) otherwise.
    /// </summary>
    private async Task<TwilioStartInfo?> ReadStartAsync(TwilioMediaStream stream, PendingStream pending, CancellationToken aborted)
    {
        var timeout = streamOptions.Value.StartTimeout;
        var acceptedAt = time.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, pending.Evicted);
        try
        {
            if (await stream.ReadStartAsync(giveUp.Token, aborted) is { } start)
            {
                telemetry.StartWait(time.GetElapsedTime(acceptedAt));
                return start;
            }
            if (pending.Evicted.IsCancellationRequested)
            {
                await refusals.CloseAsync(stream, "pending-evicted", MediaStreamRefusals.TryAgainLater, "too many media streams are waiting for their start");
            }
            else
            {
                await refusals.CloseAsync(stream, "start-timeout", WebSocketCloseStatus.PolicyViolation, $"no start within {timeout.TotalSeconds:0.###} s");
            }
        }
        catch (TwilioStreamClosedException e)
        {
            await refusals.CloseAsync(stream, "start", e.Status, e.Message);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            refusals.Count("socket-lost", "the socket closed before start");
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} connected to the model")]
    private partial void LogCallStarted(string callSid);

    [LoggerMessage(Level = LogLevel.Error, Message = "The model could not be reached; the caller will hear the apology")]
    private partial void LogModelUnavailable(Exception e);
}
