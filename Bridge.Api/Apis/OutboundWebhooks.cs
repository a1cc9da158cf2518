using System.Globalization;
using Bridge.Agents;
using Bridge.Agents.Prompts;
using Bridge.Api.Outbound;
using Bridge.Api.Twiml;
using Bridge.Security;
using Bridge.Security.Sealing;
using Bridge.Security.RateLimits;
using Bridge.TwilioRest;
using Twilio.TwiML;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// What Twilio asks and tells about an outbound call, each request signed by Twilio and carrying the call's signed
/// context (<c>?ctx=</c>): the TwiML once the call is answered (the agent, at once: detection runs in the background),
/// the answering machine detection's verdict (a machine gets the agent's message after the beep, or is hung up on),
/// and the call's status until its end, when the outcome is counted, logged in one line and sent to the operator.
/// </summary>
internal static partial class OutboundWebhooks
{
    public static RouteGroupBuilder MapOutboundWebhooks(this IEndpointRouteBuilder app)
    {
        var outbound = app.MapGroup("/webhook/outbound")
            .RequireClientRateLimit(ClientRateLimit.Webhooks)
            .ValidateTwilioRequest()
            .DisableAntiforgery();
        outbound.MapPost("/answer", AnswerAsync);
        outbound.MapPost("/amd", MachineDetectedAsync);
        outbound.MapPost("/status", StatusAsync);
        return outbound;
    }

    private static async Task<IResult> AnswerAsync(
        HttpRequest request, OutboundContextCodec contexts, ConversationCallbackParameter conversationCallback, AgentProfiles profiles,
        StreamConnection connection, CancellationToken cancellationToken)
    {
        var form = request.HasFormContentType ? request.Form : FormCollection.Empty;
        var callSid = form["CallSid"].ToString();
        if (contexts.Decode(request.Query[OutboundContextCodec.QueryName]) is not { } context || callSid.Length == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "An outbound call's webhook must carry CallSid and its context.");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StreamToken.CallSidParameter] = callSid,
            ["from"] = form["From"].ToString(),
            ["to"] = form["To"].ToString(),
        };
        if (profiles.Catalog is not null)
        {
            parameters[AgentStreamParameter.Name] = context.Agent;
        }
        OutboundVariables.AddTo(parameters, context.Variables);
        // The worker sends the conversation's own callback when it ends (call.conversation): it learns where, sealed.
        if (context.Callback is { } callback && Uri.TryCreate(callback, UriKind.Absolute, out var callbackUrl))
        {
            parameters[ConversationCallbackParameter.Name] = conversationCallback.Seal(callbackUrl, callSid);
        }
        return await connection.ConnectAsync(request, parameters, cancellationToken);
    }

    private static async Task<IResult> MachineDetectedAsync(
        HttpRequest request,
        OutboundContextCodec contexts,
        OutboundCallPlacement placement,
        PublicUrl publicUrl,
        AgentProfiles profiles,
        TwilioCallControl twilio,
        OutboundMetrics metrics,
        TimeProvider time,
        ILogger<OutboundCallPlacement> logger,
        CancellationToken cancellationToken)
    {
        var form = request.HasFormContentType ? request.Form : FormCollection.Empty;
        var callSid = form["CallSid"].ToString();
        var answeredBy = form["AnsweredBy"].ToString();
        if (contexts.Decode(request.Query[OutboundContextCodec.QueryName]) is not { } context || callSid.Length == 0 || answeredBy.Length == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A detection result must carry CallSid, AnsweredBy and the call's context.");
        }
        metrics.Detected(answeredBy);

        var message = profiles.Catalog?.Find(context.Agent) is { VoicemailMessage: { } template } profile
            ? (Text: template.Render(new PromptVariables(form["From"].ToString(), form["To"].ToString(), profile.Name, time.GetUtcNow(), profile.TimeZone, context.Variables)), profile.Language)
            : default;
        VoiceResponse? twiml = answeredBy switch
        {
            _ when OutboundOutcome.IsMachine(answeredBy) => message.Text is { } text ? CallTwiml.Voicemail(text, message.Language) : CallTwiml.Hangup(),
            "fax" => CallTwiml.Hangup(),
            // human, unknown, a value Twilio does not document: the agent is already talking; nothing changes but
            // what the final status will say.
            _ => null,
        };
        if (!OutboundOutcome.IsDocumented(answeredBy))
        {
            LogUndocumentedVerdict(logger, callSid, answeredBy);
        }
        LogDetected(logger, callSid, answeredBy, twiml is null ? "the agent goes on" : message.Text is not null && answeredBy != "fax" ? "leaving the agent's message" : "hanging up",
            form["MachineDetectionDuration"].ToString());

        // The verdict rides in the status callback's context from now on: the final status needs it, and nothing is kept here.
        var statusCallback = placement.Url(publicUrl.BaseFor(request), OutboundCallPlacement.StatusPath, context with { AnsweredBy = answeredBy });
        try
        {
            if (!await twilio.UpdateAsync(callSid, twiml, statusCallback, cancellationToken))
            {
                LogEndedMeanwhile(logger, callSid);
            }
        }
        catch (Exception e) when (e is Twilio.Exceptions.ApiException or Twilio.Exceptions.ApiConnectionException or HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            LogUpdateFailed(logger, callSid, e.Message);
        }
        return Results.NoContent();
    }

    private static async Task<IResult> StatusAsync(
        HttpRequest request,
        OutboundContextCodec contexts,
        AgentProfiles profiles,
        OperatorCallbacks callbacks,
        OutboundMetrics metrics,
        TimeProvider time,
        ILogger<OutboundCallPlacement> logger,
        CancellationToken cancellationToken)
    {
        var form = request.HasFormContentType ? request.Form : FormCollection.Empty;
        var callSid = form["CallSid"].ToString();
        var status = form["CallStatus"].ToString();
        if (contexts.Decode(request.Query[OutboundContextCodec.QueryName]) is not { } context || callSid.Length == 0 || status.Length == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A status callback must carry CallSid, CallStatus and the call's context.");
        }
        metrics.Status(status);
        if (!OutboundOutcome.FinalStatuses.Contains(status))
        {
            LogProgress(logger, callSid, status);
            return Results.NoContent();
        }

        var answeredBy = context.AnsweredBy ?? (form["AnsweredBy"].ToString() is { Length: > 0 } reported ? reported : null);
        var leavesVoicemail = profiles.Catalog?.Find(context.Agent)?.VoicemailMessage is not null;
        var outcome = OutboundOutcome.Classify(status, answeredBy, leavesVoicemail);
        int? duration = int.TryParse(form["CallDuration"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        metrics.Ended(outcome, duration);
        LogEnded(logger, callSid, form["To"].ToString(), outcome, answeredBy ?? "-", duration, context.Agent, context.KeyName);

        if (context.Callback is { } callback && Uri.TryCreate(callback, UriKind.Absolute, out var callbackUrl))
        {
            var completed = new CallCompleted(
                callSid, outcome, OutboundOutcome.Describe(outcome, answeredBy, duration), status, answeredBy, duration,
                form["To"].ToString(), form["From"].ToString(), context.Agent, context.KeyName, context.Variables,
                form["SipResponseCode"].ToString() is { Length: > 0 } sip ? sip : null, time.GetUtcNow());
            await callbacks.SendAsync(callbackUrl, completed, cancellationToken);
        }
        return Results.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound call {CallSid}: answered by {AnsweredBy}; {Action} (detected in {DetectionMs} ms)")]
    private static partial void LogDetected(ILogger logger, string callSid, string answeredBy, string action, string detectionMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound call {CallSid}: AnsweredBy '{AnsweredBy}' is not a value Twilio documents; treated as a person, the agent goes on")]
    private static partial void LogUndocumentedVerdict(ILogger logger, string callSid, string answeredBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound call {CallSid} had ended before the detection's verdict could be acted on")]
    private static partial void LogEndedMeanwhile(ILogger logger, string callSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound call {CallSid}: Twilio could not be told what to do after the detection: {Reason}")]
    private static partial void LogUpdateFailed(ILogger logger, string callSid, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbound call {CallSid}: {Status}")]
    private static partial void LogProgress(ILogger logger, string callSid, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound call {CallSid} to {To} ended: {Outcome} (answered by {AnsweredBy}, {Duration} s, agent {Agent}, key {KeyName})")]
    private static partial void LogEnded(ILogger logger, string callSid, string to, string outcome, string answeredBy, int? duration, string agent, string keyName);
}
