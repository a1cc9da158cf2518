using Bridge.Security;
using Microsoft.Extensions.ServiceDiscovery;

namespace Bridge.Api.Twiml;

/// <summary>
/// Where Twilio must open the media WebSocket. Behind a load balancer it is the public base URL (the balancer
/// routes /media to the workers); locally, with no public URL, it is the media worker that service discovery
/// knows; failing both, the host Twilio reached for the webhook.
/// </summary>
public sealed partial class MediaStreamAddress(
    PublicUrl publicUrl,
    ServiceEndpointResolver resolver,
    ILogger<MediaStreamAddress> logger)
{
    public const string MediaPath = "/media";
    private const string WorkerService = "https+http://media-worker";

    public async Task<string> ForAsync(HttpRequest webhook, CancellationToken cancellationToken)
    {
        if (publicUrl.PublicBaseUrl is not null)
        {
            return PublicUrl.ToWebSocketScheme(publicUrl.BaseFor(webhook)) + MediaPath;
        }

        var discovered = await DiscoverWorkerAsync(cancellationToken);
        return PublicUrl.ToWebSocketScheme(discovered ?? publicUrl.BaseFor(webhook)) + MediaPath;
    }

    private async Task<string?> DiscoverWorkerAsync(CancellationToken cancellationToken)
    {
        try
        {
            var source = await resolver.GetEndpointsAsync(WorkerService, cancellationToken);
            foreach (var endpoint in source.Endpoints)
            {
                if (endpoint.EndPoint is UriEndPoint { Uri: var uri })
                {
                    return uri.GetLeftPart(UriPartial.Authority);
                }
            }
        }
        catch (InvalidOperationException e)
        {
            LogNoWorker(e.Message);
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Service discovery knows no media worker ({Reason}); the stream URL uses the webhook's host")]
    private partial void LogNoWorker(string reason);
}
