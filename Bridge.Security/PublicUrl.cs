using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Bridge.Security;

/// <summary>
/// Rebuilds the URL Twilio used to reach this service, which is what Twilio signed. Behind a load balancer the
/// service sees http://10.0.x.y while Twilio signed https://voice.example.com: the configured public base URL
/// wins; without it the request's own scheme and host are used (after trusted proxies' forwarded headers).
/// </summary>
public sealed class PublicUrl(Uri? publicBaseUrl)
{
    public Uri? PublicBaseUrl { get; } = publicBaseUrl;

    /// <summary>The base (scheme://host[:port][/pathbase]) Twilio dialed for this request, without a trailing slash.</summary>
    public string BaseFor(HttpRequest request)
    {
        if (PublicBaseUrl is { } configured)
        {
            return configured.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase).TrimEnd('/');
    }

    /// <summary>The full URL of an HTTP request as Twilio signed it (path and query included).</summary>
    public string ForRequest(HttpRequest request) =>
        BaseFor(request) + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();

    /// <summary>
    /// The URL of a WebSocket upgrade as Twilio dialed and signed it: the http scheme becomes ws, https becomes wss.
    /// </summary>
    public string ForWebSocket(HttpRequest request) => ToWebSocketScheme(ForRequest(request));

    /// <summary>Maps http(s)://… to ws(s)://…; other schemes are returned unchanged.</summary>
    public static string ToWebSocketScheme(string url)
    {
        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return "wss://" + url["https://".Length..];
        }
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return "ws://" + url["http://".Length..];
        }
        return url;
    }
}
