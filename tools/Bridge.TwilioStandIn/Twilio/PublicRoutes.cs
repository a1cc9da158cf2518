namespace Bridge.TwilioStandIn.Twilio;

/// <summary>
/// Where the public URLs of a bridge lead on this machine: what a load balancer does in front of a deployed bridge
/// (<c>https://voice.example.com/webhook…</c> to the api, <c>wss://voice.example.com/media</c> to a media worker).
/// Twilio signs the URL it was given, the public one; the request goes to the local address its longest matching
/// prefix names. So a bridge configured with its public URL (as in production) can be called locally.
/// </summary>
public sealed class PublicRoutes
{
    private readonly List<(string Public, string Local)> _routes;

    public PublicRoutes(IEnumerable<(Uri Public, Uri Local)> routes) =>
        _routes = [.. routes.Select(r => (r.Public.AbsoluteUri, r.Local.AbsoluteUri)).OrderByDescending(r => r.Item1.Length)];

    public static PublicRoutes None { get; } = new([]);

    public bool IsEmpty => _routes.Count == 0;

    /// <summary>The address a request for <paramref name="url"/> goes to: the local one of the longest matching public prefix, else itself.</summary>
    public Uri Resolve(Uri url)
    {
        var text = url.AbsoluteUri;
        foreach (var (publicPrefix, localPrefix) in _routes)
        {
            if (text.StartsWith(publicPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return new Uri(localPrefix + text[publicPrefix.Length..]);
            }
        }
        return url;
    }

    /// <summary>Parses <c>PUBLIC=LOCAL</c>, both absolute URLs (http, https, ws or wss).</summary>
    public static bool TryParse(string text, out (Uri Public, Uri Local) route, out string? error)
    {
        route = default;
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 ||
            !Uri.TryCreate(text[..equals], UriKind.Absolute, out var publicUrl) ||
            !Uri.TryCreate(text[(equals + 1)..], UriKind.Absolute, out var localUrl) ||
            publicUrl.Scheme is not ("http" or "https" or "ws" or "wss") ||
            localUrl.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            error = $"'{text}' is not PUBLIC=LOCAL with two absolute http(s) or ws(s) URLs, like wss://voice.example.com/media=ws://127.0.0.1:5390/media.";
            return false;
        }
        route = (publicUrl, localUrl);
        error = null;
        return true;
    }
}
