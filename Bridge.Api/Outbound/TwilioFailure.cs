using Polly.Timeout;
using Twilio.Exceptions;

namespace Bridge.Api.Outbound;

/// <summary>What the outbound API says, per kind of failure, about one of its requests to Twilio (placing a call, fetching one).</summary>
/// <param name="Refused">The title when Twilio refused the request (its code and message follow in the detail).</param>
/// <param name="Failed">The title when Twilio answered with an error.</param>
/// <param name="FailedConsequence">What that error means for the caller, after Twilio's code in the detail.</param>
/// <param name="NoAnswer">The detail when Twilio did not answer: what may or may not have happened.</param>
internal sealed record TwilioFailureTexts(string Refused, string Failed, string FailedConsequence, string NoAnswer);

/// <summary>
/// A request to Twilio's REST API that failed, as the outbound API answers it, the same for <c>POST /calls</c> and
/// <c>GET /calls</c>: Twilio is limiting the account's requests (HTTP 429, error 20429) → 503, to be tried again later;
/// Twilio refused it (any other 4xx, except 20003, which is this bridge's own credentials) → 400 with Twilio's code;
/// Twilio answered with an error (5xx, 20003) → 502; Twilio did not answer (a timeout, no connection) → 504. The
/// <see cref="Result"/> tags <c>bridge.outbound.requests</c>.
/// </summary>
internal sealed record TwilioFailure(int StatusCode, string Result, string Reason, int? TwilioCode = null, string? TwilioMessage = null, int? TwilioStatus = null)
{
    /// <summary>Twilio's "authenticate" error: the bridge's own account or token is wrong, not the request.</summary>
    private const int AuthenticationFailed = 20003;

    /// <summary>
    /// The failure <paramref name="error"/> is, or null when it is none of Twilio's: then it is not handled here (a
    /// request the client itself aborted among them, which needs no answer).
    /// </summary>
    public static TwilioFailure? Of(Exception error, CancellationToken requestAborted) => error switch
    {
        ApiException { Status: StatusCodes.Status429TooManyRequests } e =>
            new(StatusCodes.Status503ServiceUnavailable, "twilio-throttled", $"error {e.Code} (HTTP 429): {e.Message}", e.Code, e.Message, e.Status),
        ApiException { Status: >= 400 and < 500 } e when e.Code != AuthenticationFailed =>
            new(StatusCodes.Status400BadRequest, "twilio-refused", $"error {e.Code}: {e.Message}", e.Code, e.Message, e.Status),
        ApiException e => new(StatusCodes.Status502BadGateway, "twilio-error", $"error {e.Code} (HTTP {e.Status})", e.Code, e.Message, e.Status),
        TimeoutRejectedException or TaskCanceledException or HttpRequestException or ApiConnectionException when !requestAborted.IsCancellationRequested =>
            new(StatusCodes.Status504GatewayTimeout, "twilio-unknown", $"no answer ({error.GetType().Name})"),
        _ => null,
    };

    /// <summary>The RFC 7807 answer, in the words of the request that failed.</summary>
    public IResult Problem(TwilioFailureTexts texts) => StatusCode switch
    {
        StatusCodes.Status400BadRequest => Results.Problem(statusCode: StatusCode, title: texts.Refused, detail: $"Twilio error {TwilioCode}: {TwilioMessage}"),
        StatusCodes.Status502BadGateway => Results.Problem(statusCode: StatusCode, title: texts.Failed, detail: $"Twilio error {TwilioCode} (HTTP {TwilioStatus}); {texts.FailedConsequence}"),
        StatusCodes.Status503ServiceUnavailable => Results.Problem(statusCode: StatusCode, title: "Twilio is limiting this account's requests.",
            detail: $"Twilio error {TwilioCode} (HTTP {TwilioStatus}); {texts.FailedConsequence} Try again after Retry-After seconds."),
        _ => Results.Problem(statusCode: StatusCode, title: "Twilio did not answer.", detail: texts.NoAnswer),
    };
}
