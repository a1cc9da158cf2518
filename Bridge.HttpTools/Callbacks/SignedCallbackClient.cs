using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Bridge.HttpTools.Callbacks;

/// <summary>How one attempt to deliver a callback ended.</summary>
public enum CallbackResult
{
    /// <summary>The operator answered 2xx.</summary>
    Delivered,

    /// <summary>An answer that another attempt would not change (4xx other than 408 and 429, a redirect), or an address callbacks may not go to.</summary>
    Refused,

    /// <summary>A 5xx, 408 or 429, a timeout, or no connection: another attempt may succeed.</summary>
    Failed,
}

/// <summary>One attempt: its result, the HTTP status if one came, why, and how long the operator asked to wait (Retry-After).</summary>
public sealed record CallbackAttempt(CallbackResult Result, int? Status, string Detail, TimeSpan? RetryAfter = null);

/// <summary>
/// Posts signed callbacks to an operator's URL: the body signed as the HTTP tools sign their requests
/// (<see cref="ToolRequestSigner"/>: <c>X-Bridge-Timestamp</c>, <c>X-Bridge-Signature: v1=…</c>), its kind in
/// <c>X-Bridge-Event</c>. Only to public addresses, checked when connecting (<see cref="CallbackAddresses"/>; loopback
/// too in Development), no redirects followed, no proxy, each attempt bounded in time. The api's outcome callback and
/// the worker's conversation callback both go through it.
/// </summary>
public sealed class SignedCallbackClient : IDisposable
{
    public const string EventHeader = "X-Bridge-Event";

    /// <summary>How long one attempt may take, connection included.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;

    public SignedCallbackClient(bool allowLoopback)
        : this(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectCallback = CallbackAddresses.PublicOnlyConnect(allowLoopback),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
    {
    }

    public SignedCallbackClient(HttpMessageHandler handler) =>
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = AttemptTimeout };

    /// <summary>One attempt, signed now. Never throws for what the operator's side does; cancelled only by <paramref name="cancellationToken"/>.</summary>
    public async Task<CallbackAttempt> PostAsync(Uri url, string eventName, byte[] body, ReadOnlyMemory<byte> secret, TimeProvider time, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(ToolRequestSigner.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(ToolRequestSigner.SignatureHeader, ToolRequestSigner.Sign(secret.Span, timestamp, body));
        request.Headers.Add(EventHeader, eventName);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? new CallbackAttempt(CallbackResult.Delivered, status, "delivered")
                : status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                    ? new CallbackAttempt(CallbackResult.Failed, status, $"HTTP {status}", RetryAfter(response, time))
                    : new CallbackAttempt(CallbackResult.Refused, status, $"HTTP {status}");
        }
        catch (HttpRequestException e) when (Refused(e) is { } refused)
        {
            return new CallbackAttempt(CallbackResult.Refused, null, refused.Message);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new CallbackAttempt(CallbackResult.Failed, null, e is TaskCanceledException ? $"no answer within {AttemptTimeout.TotalSeconds:0} s" : e.Message);
        }
    }

    /// <summary>
    /// Attempts until one is delivered or refused, or <paramref name="policy"/>'s attempts are spent; each signed anew
    /// (a late retry's timestamp is its own). <paramref name="retrying"/> hears of each failed attempt that will be tried again.
    /// </summary>
    public async Task<(CallbackAttempt Last, int Attempts)> DeliverAsync(
        Uri url, string eventName, byte[] body, ReadOnlyMemory<byte> secret, CallbackRetryPolicy policy, TimeProvider time,
        Action<CallbackAttempt, int, TimeSpan>? retrying, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await PostAsync(url, eventName, body, secret, time, cancellationToken).ConfigureAwait(false);
            if (result.Result != CallbackResult.Failed || attempt >= policy.MaxAttempts)
            {
                return (result, attempt);
            }
            var delay = policy.DelayBefore(attempt + 1, result.RetryAfter);
            retrying?.Invoke(result, attempt, delay);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    private static CallbackAddressRefusedException? Refused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is CallbackAddressRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };
}
