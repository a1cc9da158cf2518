using System.Text;
using System.Text.Json;
using Bridge.HttpTools.Callbacks;
using Microsoft.Extensions.Options;

namespace Bridge.Api.Outbound;

/// <summary>What the operator's callback says about a call that ended (<c>"event": "call.completed"</c>).</summary>
public sealed record CallCompleted(
    string CallSid,
    string Outcome,
    string Summary,
    string CallStatus,
    string? AnsweredBy,
    int? DurationSeconds,
    string To,
    string From,
    string Agent,
    string ApiKey,
    IReadOnlyDictionary<string, string> Variables,
    string? SipResponseCode,
    DateTimeOffset Timestamp)
{
    public string Event => "call.completed";
}

/// <summary>
/// Posts an outbound call's outcome to the operator's <c>statusCallback</c> through the <see cref="SignedCallbackClient"/>
/// (signed with <c>Outbound:CallbackSecret</c> as the HTTP tools sign their requests, public addresses only). One
/// attempt: it runs inside Twilio's status webhook, which Twilio gives 15 s; a failure is logged and counted.
/// </summary>
public sealed partial class OperatorCallbacks(IOptions<OutboundOptions> options, IHostEnvironment environment, TimeProvider time, OutboundMetrics metrics, ILogger<OperatorCallbacks> logger)
    : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SignedCallbackClient _client = new(allowLoopback: environment.IsDevelopment());
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Value.CallbackSecret ?? "");

    public async Task SendAsync(Uri callback, CallCompleted completed, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(completed, Json);
        var attempt = await _client.PostAsync(callback, completed.Event, body, _secret, time, cancellationToken);
        if (attempt.Result == CallbackResult.Delivered)
        {
            metrics.Callback("delivered");
            LogDelivered(completed.CallSid, callback.Host, attempt.Status ?? 0);
        }
        else
        {
            metrics.Callback("failed");
            LogFailed(completed.CallSid, callback.Host, attempt.Detail);
        }
    }

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid}: outcome delivered to {Host} (HTTP {Status})")]
    private partial void LogDelivered(string callSid, string host, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the operator's callback at {Host} failed ({Reason}); not retried")]
    private partial void LogFailed(string callSid, string host, string reason);
}
