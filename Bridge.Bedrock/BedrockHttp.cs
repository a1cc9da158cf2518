namespace Bridge.Bedrock;

/// <summary>
/// The connection settings for Bedrock streams. Not built through IHttpClientFactory: its default resilience
/// handler puts a total timeout on every request, which would cut an hour-long call.
/// </summary>
public static class BedrockHttp
{
    public static SocketsHttpHandler CreateHandler() => new()
    {
        // Each call holds one stream for its whole length; past the server's stream limit, open more connections.
        EnableMultipleHttp2Connections = true,
        // Pings keep idle-looking connections alive through NATs and detect dead peers.
        KeepAlivePingDelay = TimeSpan.FromSeconds(20),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(15),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
    };
}
