using System.Globalization;
using System.Text.RegularExpressions;
using Bridge.Api.Outbound;
using Bridge.Security;
using Bridge.Security.RateLimits;
using Bridge.TwilioRest;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Twilio.Rest.Api.V2010.Account;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The outbound call API: <c>POST /calls</c> places a call with an agent, <c>GET /calls?callSid=CA…</c> tells how it
/// stands (a query, not a path below <c>/calls</c>: the load balancer forwards exact paths only). Cheapest check first, nothing costly before the caller is known: the client address's rate limit (before
/// the handler), the body's size, the API key (401), the key's own rate limit (429), the body (400), the caller ID
/// (403), a worker able to take the call (503), and only then Twilio; a status request, the key, the key's status
/// limit (429), the call's SID (400), then Twilio. Answers are RFC 7807 problem details.
/// </summary>
internal static partial class OutboundCallApi
{
    /// <summary>A call's request is a few hundred bytes; variables at their limit stay far below this.</summary>
    public const long MaxBodyBytes = 16 * 1024;

    private static readonly TwilioFailureTexts Placing = new(
        Refused: "Twilio refused the call.",
        Failed: "Twilio could not place the call.",
        FailedConsequence: "nobody was dialled.",
        NoAnswer: "The call may or may not have been placed; it was not retried. Check Twilio's call log before placing it again.");

    private static readonly TwilioFailureTexts Fetching = new(
        Refused: "Twilio refused to tell about the call.",
        Failed: "Twilio could not tell about the call.",
        FailedConsequence: "ask again later.",
        NoAnswer: "How the call stands is unknown for now; ask again later.");

    public static RouteGroupBuilder MapOutboundCallApi(this IEndpointRouteBuilder app)
    {
        var calls = app.MapGroup("/calls")
            .RequireClientRateLimit(OutboundLimits.Addresses)
            .DisableAntiforgery();
        calls.MapPost("", PlaceAsync);
        calls.MapGet("", FetchAsync);
        return calls;
    }

    private static async Task<IResult> PlaceAsync(
        HttpContext context,
        ApiKeys keys,
        ApiKeyRateLimits limits,
        PlaceCallValidation validation,
        WorkerCapacity capacity,
        OutboundCallPlacement placement,
        IOptions<OutboundOptions> options,
        OutboundMetrics metrics,
        ILogger<OutboundCallPlacement> logger)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            metrics.Request("too-large");
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large.", $"A call's request is at most {MaxBodyBytes} bytes.");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (keys.Authenticate(request.Headers.Authorization.ToString()) is not { } keyName)
        {
            metrics.Request("unauthenticated");
            LogUnauthenticated(logger, request.Headers.Authorization.Count > 0);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Problem(StatusCodes.Status401Unauthorized, "A valid API key is required.", "Send Authorization: Bearer <key>, a key of Outbound:ApiKeys.");
        }
        if (!limits.Calls.TryAcquire(keyName, out var wait))
        {
            return OverKeyLimit(context, metrics, limits.Calls, keyName, wait, "Too many calls placed with this key.");
        }
        if (!request.HasJsonContentType())
        {
            metrics.Request("invalid");
            return Problem(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON.", "Send Content-Type: application/json.");
        }

        byte[]? body;
        try
        {
            body = await ReadBoundedAsync(request.Body, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        if (body is null)
        {
            metrics.Request("too-large");
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large.", $"A call's request is at most {MaxBodyBytes} bytes.");
        }
        if (PlaceCallRequest.Parse(body, out var unreadable) is not { } placeRequest)
        {
            metrics.Request("invalid");
            return Problem(StatusCodes.Status400BadRequest, "The request could not be read.", unreadable);
        }
        if (validation.Validate(placeRequest, out var errors) is not { } call)
        {
            metrics.Request("invalid");
            return Results.ValidationProblem(errors, title: "The call cannot be placed as asked.");
        }
        if (!options.Value.CallerIds.Contains(call.From, StringComparer.Ordinal))
        {
            metrics.Request("caller-id");
            LogCallerIdRefused(logger, keyName, call.From);
            return Problem(StatusCodes.Status403Forbidden, "The caller ID is not one of this bridge's numbers.", $"'from' must be one of Outbound:CallerIds.");
        }
        if (!await capacity.AnyFreeAsync(context.RequestAborted))
        {
            metrics.Request("capacity");
            context.Response.Headers.RetryAfter = Seconds(options.Value.RetryAfter);
            return Problem(StatusCodes.Status503ServiceUnavailable, "No agent is free to talk.", "Every media worker is full or unavailable; nobody was dialled. Try again after Retry-After seconds.");
        }

        try
        {
            var placed = await placement.PlaceAsync(request, call, keyName, context.RequestAborted);
            metrics.Request("placed");
            LogPlaced(logger, placed.Sid, keyName, call.Agent);
            return Results.Json(
                new { callSid = placed.Sid, status = placed.Status?.ToString() ?? "queued", to = call.To, from = call.From, agent = call.Agent },
                statusCode: StatusCodes.Status202Accepted,
                contentType: "application/json")
                .WithLocation($"/calls?callSid={placed.Sid}", context);
        }
        catch (Exception e) when (TwilioFailure.Of(e, context.RequestAborted) is { } failure)
        {
            // A timeout may have reached Twilio: whether the call was placed is unknown, and it is not retried here.
            metrics.Request(failure.Result);
            return AnswerTwilioFailure(context, logger, "POST /calls", keyName, failure, Placing, options.Value);
        }
    }

    /// <summary>
    /// The call as Twilio knows it, when it is one this bridge could have placed: made through the REST API
    /// (<c>outbound-api</c>) on this account from one of <c>Outbound:CallerIds</c>. Any other call, an inbound caller's
    /// among them, is no business of an outbound API key: 404, as for a call Twilio does not know.
    /// </summary>
    private static async Task<IResult> FetchAsync(
        [Microsoft.AspNetCore.Mvc.FromQuery] string? callSid,
        HttpContext context,
        ApiKeys keys,
        TwilioCallControl twilio,
        ApiKeyRateLimits limits,
        IOptions<OutboundOptions> options,
        OutboundMetrics metrics,
        ILogger<OutboundCallPlacement> logger)
    {
        if (keys.Authenticate(context.Request.Headers.Authorization.ToString()) is not { } keyName)
        {
            metrics.Request("unauthenticated");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Problem(StatusCodes.Status401Unauthorized, "A valid API key is required.", "Send Authorization: Bearer <key>, a key of Outbound:ApiKeys.");
        }
        // Each fetch is a request to Twilio on the account the media worker's own requests share.
        if (!limits.Status.TryAcquire(keyName, out var wait))
        {
            return OverKeyLimit(context, metrics, limits.Status, keyName, wait, "Too many status requests with this key.");
        }
        if (callSid is null || !CallSid().IsMatch(callSid))
        {
            return Problem(StatusCodes.Status400BadRequest, "Which call?", "Give the call as ?callSid=CA followed by 32 hex digits (the callSid of POST /calls).");
        }

        CallResource? call;
        try
        {
            call = await twilio.FetchAsync(callSid, context.RequestAborted);
        }
        catch (Exception e) when (TwilioFailure.Of(e, context.RequestAborted) is { } failure)
        {
            return AnswerTwilioFailure(context, logger, "GET /calls", keyName, failure, Fetching, options.Value);
        }
        if (call is null || call.Direction != OutboundApiDirection || !options.Value.CallerIds.Contains(call.From, StringComparer.Ordinal))
        {
            return Problem(StatusCodes.Status404NotFound, "No such call.", $"{callSid} is not a call placed from one of Outbound:CallerIds on this bridge's Twilio account.");
        }
        return Results.Json(new
        {
            callSid = call.Sid,
            status = call.Status?.ToString(),
            answeredBy = call.AnsweredBy,
            durationSeconds = int.TryParse(call.Duration, CultureInfo.InvariantCulture, out var seconds) ? seconds : (int?)null,
            to = call.To,
            from = call.From,
            direction = call.Direction,
        });
    }

    /// <summary>The body, or null once it passes <see cref="MaxBodyBytes"/> (whatever the server's own limit, or a chunked body's lack of a length).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        return length > MaxBodyBytes ? null : buffer[..length];
    }

    /// <summary>A key over one of its limits: 429 with Retry-After, counted as <c>rate-limited</c>.</summary>
    private static IResult OverKeyLimit(HttpContext context, OutboundMetrics metrics, ApiKeyRateLimit limit, string keyName, TimeSpan wait, string title)
    {
        metrics.Request("rate-limited");
        context.Response.Headers.RetryAfter = Seconds(wait);
        return TooManyRequestsProblem.Create(title, $"Key '{keyName}' is over {limit.SectionName}; try again after Retry-After seconds.");
    }

    private static IResult Problem(int status, string title, string? detail) => Results.Problem(statusCode: status, title: title, detail: detail);

    /// <summary>
    /// Logs a failed request to Twilio and answers it as a problem in <paramref name="texts"/>' words, with
    /// <c>Retry-After</c> when Twilio is limiting the account: one answer for both methods.
    /// </summary>
    private static IResult AnswerTwilioFailure(
        HttpContext context, ILogger logger, string request, string keyName, TwilioFailure failure, TwilioFailureTexts texts, OutboundOptions options)
    {
        LogTwilioFailure(logger, request, keyName, failure, texts);
        if (failure.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = Seconds(options.RetryAfter);
        }
        return failure.Problem(texts);
    }

    private static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static IResult WithLocation(this IResult result, string location, HttpContext context)
    {
        context.Response.Headers.Location = location;
        return result;
    }

    /// <summary>Twilio's direction of a call created through its REST API, as every call of <c>POST /calls</c> is.</summary>
    private const string OutboundApiDirection = "outbound-api";

    [GeneratedRegex("^CA[0-9a-f]{32}$")]
    private static partial Regex CallSid();

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound call {CallSid} placed with key {KeyName}, agent {Agent}")]
    private static partial void LogPlaced(ILogger logger, string callSid, string keyName, string agent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "POST /calls refused: {What}")]
    private static partial void LogRefusedWhat(ILogger logger, string what);

    private static void LogUnauthenticated(ILogger logger, bool keyGiven) =>
        LogRefusedWhat(logger, keyGiven ? "the API key matches none configured" : "no API key");

    [LoggerMessage(Level = LogLevel.Warning, Message = "POST /calls with key {KeyName} refused: caller ID {From} is not in Outbound:CallerIds")]
    private static partial void LogCallerIdRefused(ILogger logger, string keyName, string from);

    private static void LogTwilioFailure(ILogger logger, string request, string keyName, TwilioFailure failure, TwilioFailureTexts texts)
    {
        switch (failure.StatusCode)
        {
            case StatusCodes.Status400BadRequest:
                LogTwilioRefused(logger, request, keyName, failure.Reason);
                break;
            case StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable:
                LogTwilioFailed(logger, request, keyName, failure.Reason, texts.FailedConsequence);
                break;
            default:
                LogTwilioFailed(logger, request, keyName, failure.Reason, texts.NoAnswer);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Request} with key {KeyName}: Twilio refused it: {Reason}")]
    private static partial void LogTwilioRefused(ILogger logger, string request, string keyName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Request} with key {KeyName}: Twilio failed: {Reason} — {Consequence}")]
    private static partial void LogTwilioFailed(ILogger logger, string request, string keyName, string reason, string consequence);
}
