using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bridge.HttpTools;
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
/// Posts an outbound call's outcome to the operator's <c>statusCallback</c>, signed as the HTTP tools sign their
/// requests (<c>X-Bridge-Timestamp</c>, <c>X-Bridge-Signature: v1=hex(HMAC-SHA256(Outbound:CallbackSecret,
/// "{timestamp}.{body}"))</c>) so the operator can verify it with the same code. Only to public addresses (checked when
/// connecting), no redirects, one attempt bounded in time: a failure is logged and counted, never retried into a loop.
/// </summary>
public sealed partial class OperatorCallbacks : IDisposable
{
    public const string EventHeader = "X-Bridge-Event";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly byte[] _secret;
    private readonly TimeProvider _time;
    private readonly OutboundMetrics _metrics;
    private readonly ILogger<OperatorCallbacks> _logger;

    public OperatorCallbacks(IOptions<OutboundOptions> options, IHostEnvironment environment, TimeProvider time, OutboundMetrics metrics, ILogger<OperatorCallbacks> logger)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectCallback = CallbackAddresses.PublicOnlyConnect(environment.IsDevelopment()),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        _secret = Encoding.UTF8.GetBytes(options.Value.CallbackSecret ?? "");
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task SendAsync(Uri callback, CallCompleted completed, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(completed, Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(ToolRequestSigner.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(ToolRequestSigner.SignatureHeader, ToolRequestSigner.Sign(_secret, timestamp, body));
        request.Headers.Add(EventHeader, completed.Event);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                _metrics.Callback("delivered");
                LogDelivered(completed.CallSid, callback.Host, (int)response.StatusCode);
            }
            else
            {
                _metrics.Callback("failed");
                LogRefused(completed.CallSid, callback.Host, (int)response.StatusCode);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            _metrics.Callback("failed");
            LogUnreachable(completed.CallSid, callback.Host, e.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid}: outcome delivered to {Host} (HTTP {Status})")]
    private partial void LogDelivered(string callSid, string host, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the operator's callback at {Host} answered HTTP {Status}; not retried")]
    private partial void LogRefused(string callSid, string host, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the operator's callback at {Host} could not be reached ({Reason}); not retried")]
    private partial void LogUnreachable(string callSid, string host, string reason);
}
