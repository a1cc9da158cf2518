using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace Bridge.Api.Outbound;

/// <summary>
/// Whether some media worker can take a call now, asked before dialling anyone: each worker's <c>/health/readiness</c>
/// (200 only when it is started, not full, not draining and not short of memory) on its own address inside the
/// network — never through the load balancer, which serves no health path. The workers are every address
/// <c>Outbound:Workers</c>' host name resolves to (on ECS, Cloud Map's record of each task), or, unset, those service
/// discovery knows (a local AppHost's worker). All are asked at once; the first that is ready answers yes.
/// </summary>
public sealed partial class WorkerCapacity : IDisposable
{
    private const string WorkerService = "https+http://media-worker";
    private const string ReadinessPath = "/health/readiness";

    private readonly IOptions<OutboundOptions> _options;
    private readonly ServiceEndpointResolver _resolver;
    private readonly ILogger<WorkerCapacity> _logger;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public WorkerCapacity(IOptions<OutboundOptions> options, ServiceEndpointResolver resolver, ILogger<WorkerCapacity> logger)
    {
        _options = options;
        _resolver = resolver;
        _logger = logger;
    }

    public async Task<bool> AnyFreeAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Value.CapacityTimeout);
        IReadOnlyList<Uri> workers;
        try
        {
            workers = await WorkersAsync(deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            LogNoWorkers(e.Message);
            return false;
        }
        if (workers.Count == 0)
        {
            LogNoWorkers("none found");
            return false;
        }

        var asks = workers.Select(worker => IsReadyAsync(worker, deadline.Token)).ToList();
        while (asks.Count > 0)
        {
            var answered = await Task.WhenAny(asks);
            asks.Remove(answered);
            if (await answered)
            {
                await deadline.CancelAsync();
                return true;
            }
        }
        LogFull(workers.Count);
        return false;
    }

    private async Task<IReadOnlyList<Uri>> WorkersAsync(CancellationToken cancellationToken)
    {
        if (_options.Value.Workers is { } configured)
        {
            var addresses = IPAddress.TryParse(configured.DnsSafeHost, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(configured.DnsSafeHost, cancellationToken);
            return [.. addresses.Select(a => new UriBuilder(configured) { Host = a.ToString(), Path = "" }.Uri)];
        }
        var source = await _resolver.GetEndpointsAsync(WorkerService, cancellationToken);
        return [.. source.Endpoints.Select(e => e.EndPoint).OfType<UriEndPoint>().Select(e => e.Uri)];
    }

    private async Task<bool> IsReadyAsync(Uri worker, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(worker, ReadinessPath), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No media worker could be asked for a free slot: {Reason}")]
    private partial void LogNoWorkers(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No media worker can take a call now ({Workers} asked): outbound calls are refused with 503")]
    private partial void LogFull(int workers);
}
