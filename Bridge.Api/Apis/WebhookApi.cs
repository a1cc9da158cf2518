using Bridge.Api.Agents;
using Bridge.Api.Telemetry;
using Bridge.Api.Twiml;
using Bridge.Security;
using Bridge.Security.RateLimits;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Twilio's webhooks: the voice call, the media stream's status, and the end of the &lt;Connect&gt;.</summary>
internal static partial class WebhookApi
{
    /// <summary>Call states in which the call is over: nothing more can be said to the caller.</summary>
    private static readonly HashSet<string> EndedCallStatuses = ["completed", "busy", "failed", "no-answer", "canceled"];

    public static RouteGroupBuilder MapWebhookApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/webhook")
            .RequireClientRateLimit(ClientRateLimit.Webhooks)
            .ValidateTwilioRequest()
            .DisableAntiforgery();

        webhooks.MapPost("/", AnswerCallAsync);
        webhooks.MapPost("/stream-status", StreamStatus);
        webhooks.MapPost("/connect-ended", ConnectEnded);
        return webhooks;
    }

    private static async Task<IResult> AnswerCallAsync(
        HttpRequest request,
        StreamConnection connection,
        CallAgentSelection agents,
        CancellationToken cancellationToken)
    {
        var form = request.HasFormContentType ? request.Form : FormCollection.Empty;
        var callSid = form["CallSid"].ToString();
        if (string.IsNullOrEmpty(callSid))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A voice webhook must carry CallSid.");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StreamToken.CallSidParameter] = callSid,
            ["from"] = form["From"].ToString(),
            ["to"] = form["To"].ToString(),
        };
        agents.AddTo(parameters, callSid, form["To"].ToString());
        return await connection.ConnectAsync(request, parameters, cancellationToken);
    }

    private static IResult StreamStatus(HttpRequest request, WebhookMetrics metrics, ILogger<WebhookMetrics> logger)
    {
        var form = request.HasFormContentType ? request.Form : FormCollection.Empty;
        var streamEvent = form["StreamEvent"].ToString();
        var callSid = form["CallSid"].ToString();
        var streamSid = form["StreamSid"].ToString();

        switch (streamEvent)
        {
            case "stream-error":
                LogStreamError(logger, callSid, streamSid, form["StreamError"].ToString());
                break;
            case "stream-started" or "stream-stopped":
                LogStreamStatus(logger, callSid, streamSid, streamEvent);
                break;
            default:
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "StreamEvent must be stream-started, stream-stopped or stream-error.");
        }

        metrics.StreamStatus(streamEvent);
        return Results.NoContent();
    }

    /// <summary>
    /// Twilio asks what next once the media stream's socket closed. If the call is over, nothing; if it is still
    /// up, the bridge did not end it (the worker refused it, failed, or could not reach the model): apologise and
    /// transfer or hang up — never leave silence on an open line.
    /// </summary>
    private static TwimlResult ConnectEnded(
        HttpRequest request,
        IOptions<CallFallbackOptions> fallback,
        WebhookMetrics metrics,
        ILogger<WebhookMetrics> logger)
    {
        var form = request.HasFormContentType ? request.Form : FormCollection.Empty;
        var callStatus = form["CallStatus"].ToString();
        if (EndedCallStatuses.Contains(callStatus))
        {
            metrics.ConnectEnded("call-over");
            return new TwimlResult(CallTwiml.Hangup());
        }

        LogApologising(logger, form["CallSid"].ToString(), callStatus);
        metrics.ConnectEnded("apologised");
        return new TwimlResult(CallTwiml.Apology(fallback.Value));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} stream {StreamSid}: {StreamEvent}")]
    private static partial void LogStreamStatus(ILogger logger, string callSid, string streamSid, string streamEvent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid} stream {StreamSid} failed: {StreamError}")]
    private static partial void LogStreamError(ILogger logger, string callSid, string streamSid, string streamError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid} is still up ({CallStatus}) after its media stream ended: playing the apology")]
    private static partial void LogApologising(ILogger logger, string callSid, string callStatus);
}
