using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Bedrock;

/// <summary>
/// Opens signed bidirectional streams (<c>InvokeModelWithBidirectionalStream</c>) over HTTP/2. Generic: what the
/// events mean is the caller's business.
/// </summary>
public sealed class BedrockEventStreamClient
{
    public const string Service = "bedrock";

    private readonly HttpMessageInvoker _http;
    private readonly IBedrockCredentialSource _credentials;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly BedrockTelemetry _telemetry;
    private readonly string _region;
    private readonly Uri _endpoint;
    private readonly TimeSpan _inputStallTimeout;

    public BedrockEventStreamClient(
        HttpMessageInvoker http,
        IBedrockCredentialSource credentials,
        IOptions<BedrockOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        BedrockTelemetry? telemetry = null)
        : this(http, credentials, options.Value, Environment.GetEnvironmentVariable, time, loggers, telemetry)
    {
    }

    public BedrockEventStreamClient(
        HttpMessageInvoker http,
        IBedrockCredentialSource credentials,
        BedrockOptions options,
        Func<string, string?> environment,
        TimeProvider time,
        ILoggerFactory loggers,
        BedrockTelemetry? telemetry = null)
    {
        _http = http;
        _telemetry = telemetry ?? new BedrockTelemetry();
        _credentials = credentials;
        _time = time;
        _loggers = loggers;
        _region = options.Region;
        _inputStallTimeout = options.InputStallTimeout;
        _endpoint = BedrockEndpoint.Resolve(options.Endpoint, options.Region, environment);
    }

    public Uri Endpoint => _endpoint;

    /// <summary>
    /// Sends the signed request and returns at once with the stream: events may be sent before the response
    /// starts (await <see cref="BedrockEventStream.ResponseStarted"/> for the answer).
    /// </summary>
    public async Task<BedrockEventStream> OpenAsync(string modelId, CancellationToken cancellationToken)
    {
        var credentials = await _credentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var path = BedrockEndpoint.InvokePath(modelId);
        var uri = new Uri(_endpoint, path);
        var host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        var signedAt = TruncateToSeconds(_time.GetUtcNow());
        var amzDate = signedAt.UtcDateTime.ToString(SigV4RequestSigner.DateTimeFormat, CultureInfo.InvariantCulture);

        var signedHeaders = new List<KeyValuePair<string, string>>
        {
            new("host", host),
            new("content-type", "application/vnd.amazon.eventstream"),
            new("x-amz-content-sha256", SigV4RequestSigner.StreamingEventsPayload),
            new("x-amz-date", amzDate),
        };
        if (credentials.UseToken)
        {
            signedHeaders.Add(new("x-amz-security-token", credentials.Token));
        }
        var signature = SigV4RequestSigner.Sign("POST", path, signedHeaders, SigV4RequestSigner.StreamingEventsPayload,
            signedAt, _region, Service, credentials.AccessKey, credentials.SecretKey);

        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", SigV4RequestSigner.StreamingEventsPayload);
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        if (credentials.UseToken)
        {
            request.Headers.TryAddWithoutValidation("x-amz-security-token", credentials.Token);
        }
        request.Headers.TryAddWithoutValidation("authorization", signature.Authorization);

        var chain = new EventSignatureChain(credentials.SecretKey, _region, Service, signature.Signature);
        var stream = new BedrockEventStream(new SignedEventFramer(chain), _inputStallTimeout, _time, _loggers.CreateLogger<BedrockEventStream>(), _telemetry);
        stream.Start(_http, request);
        return stream;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, time.Offset);
}
