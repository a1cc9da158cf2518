namespace Bridge.HttpTools;

/// <summary>
/// The HttpClient of tool requests, owned here rather than made by the client factory, whose defaults add the
/// standard resilience handler to every client (it would retry POSTs that are not idempotent). No redirects: a
/// signed request goes to the configured URL or nowhere. The runner's pipeline bounds each call's time.
/// </summary>
public sealed class HttpToolClient : IDisposable
{
    public HttpToolClient()
        : this(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
    {
    }

    public HttpToolClient(HttpMessageHandler handler) =>
        Client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
