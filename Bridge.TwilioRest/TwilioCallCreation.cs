using Twilio.Clients;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Bridge.TwilioRest;

/// <summary>
/// Places outbound calls through Twilio's REST API (<c>CallResource.CreateAsync</c>) as the configured account, over
/// an HttpClient whose resilience pipeline never retries a POST: a create is not idempotent, and a retried one would
/// dial the person twice. A create that fails or times out is reported as it is; the caller decides.
/// </summary>
public sealed class TwilioCallCreation(HttpClient http, string authToken, string? accountSid)
{
    /// <summary>The name of the HttpClient whose standard resilience handler retries no unsafe method.</summary>
    public const string HttpClientName = "twilio-call-creation";

    /// <summary>The status callbacks an outbound call reports: every step, so the outcome and its timing are known.</summary>
    public static readonly IReadOnlyList<string> StatusEvents = ["initiated", "ringing", "answered", "completed"];

    public async Task<CallResource> CreateAsync(OutboundCallRequest call, CancellationToken cancellationToken)
    {
        var account = accountSid ?? throw new InvalidOperationException("Twilio:AccountSid is not configured: Twilio's REST API cannot be called.");
        var options = new CreateCallOptions(new PhoneNumber(call.To), new PhoneNumber(call.From))
        {
            PathAccountSid = account,
            Url = call.AnswerUrl,
            Method = global::Twilio.Http.HttpMethod.Post,
            StatusCallback = call.StatusCallback,
            StatusCallbackMethod = global::Twilio.Http.HttpMethod.Post,
            StatusCallbackEvent = [.. StatusEvents],
            MachineDetection = "DetectMessageEnd",
            AsyncAmd = "true",
            AsyncAmdStatusCallback = call.AmdCallback,
            AsyncAmdStatusCallbackMethod = global::Twilio.Http.HttpMethod.Post,
            Timeout = (int)call.RingTimeout.TotalSeconds,
            TimeLimit = (int)call.TimeLimit.TotalSeconds,
        };
        var client = new TwilioRestClient(account, authToken, account, httpClient: new global::Twilio.Http.SystemNetHttpClient(http));
        return await CallResource.CreateAsync(options, client).WaitAsync(cancellationToken);
    }
}
