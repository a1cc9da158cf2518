using Bridge.Security;
using Bridge.TwilioRest;
using Microsoft.Extensions.Options;
using Twilio.Rest.Api.V2010.Account;

namespace Bridge.Api.Outbound;

/// <summary>
/// Places a validated call through Twilio with asynchronous answering machine detection: the TwiML of the answered
/// call, its status callbacks and the detection's verdict all come back to this api's <c>/webhook/outbound/*</c>, each
/// URL carrying the call's signed context. The call may last as long as its agent's <c>maxDuration</c> (else 4 hours,
/// the worker's own limit ending it sooner).
/// </summary>
public sealed class OutboundCallPlacement(
    TwilioCallCreation twilio,
    OutboundContextCodec contexts,
    PublicUrl publicUrl,
    IOptions<OutboundOptions> options)
{
    public const string AnswerPath = "/webhook/outbound/answer";
    public const string StatusPath = "/webhook/outbound/status";
    public const string AmdPath = "/webhook/outbound/amd";

    private static readonly TimeSpan LongestCall = TimeSpan.FromHours(4);

    public Task<CallResource> PlaceAsync(HttpRequest request, ValidCall call, string keyName, CancellationToken cancellationToken)
    {
        var context = new OutboundCallContext(call.Agent, call.Variables, call.Callback?.AbsoluteUri, keyName);
        var baseUrl = publicUrl.BaseFor(request);
        return twilio.CreateAsync(new OutboundCallRequest(
            call.To,
            call.From,
            AnswerUrl: Url(baseUrl, AnswerPath, context),
            StatusCallback: Url(baseUrl, StatusPath, context),
            AmdCallback: Url(baseUrl, AmdPath, context),
            RingTimeout: options.Value.RingTimeout,
            TimeLimit: call.Profile?.MaxDuration ?? LongestCall), cancellationToken);
    }

    public Uri Url(string baseUrl, string path, OutboundCallContext context) =>
        new($"{baseUrl}{path}?{OutboundContextCodec.QueryName}={contexts.Encode(context)}");
}
