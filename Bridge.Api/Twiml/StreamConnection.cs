using Bridge.Api.Telemetry;
using Bridge.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Twiml;

/// <summary>
/// Answers an answered call — inbound, or outbound once the person picked up — with the TwiML that connects it to the
/// media worker: the stream's parameters signed by a stream token, the stream status and connect-ended callbacks.
/// </summary>
public sealed partial class StreamConnection(
    PublicUrl publicUrl,
    MediaStreamAddress mediaStream,
    StreamToken streamToken,
    IOptions<PublicEndpointOptions> endpoint,
    WebhookMetrics metrics,
    ILogger<StreamConnection> logger)
{
    /// <summary><paramref name="parameters"/> must hold <c>callSid</c>; the token is added to them.</summary>
    public async Task<TwimlResult> ConnectAsync(HttpRequest request, Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var callSid = parameters[StreamToken.CallSidParameter];
        parameters[StreamToken.ParameterName] = streamToken.Issue(parameters, endpoint.Value.StreamTokenLifetime);

        var webhookBase = publicUrl.BaseFor(request);
        var streamUrl = await mediaStream.ForAsync(request, cancellationToken);
        LogCallAnswered(callSid, streamUrl);
        metrics.CallAnswered();

        return new TwimlResult(CallTwiml.ConnectStream(
            streamUrl,
            connectEndedUrl: webhookBase + "/webhook/connect-ended",
            streamStatusUrl: webhookBase + "/webhook/stream-status",
            parameters));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} answered; media stream at {StreamUrl}")]
    private partial void LogCallAnswered(string callSid, string streamUrl);
}
