using Bridge.MediaWorker;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.MediaWorker;

/// <summary>
/// The real media worker in this process on Kestrel at a loopback port, so WebSocket clients connect over TCP; loopback is
/// a trusted proxy, as the load balancer is in production, so X-Forwarded-For names the client.
/// </summary>
public sealed class MediaWorkerFactory : WebApplicationFactory<MediaWorkerEntryPoint>
{
    public const string AuthToken = "f1e2d3c4b5a697887766554433221100";

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Twilio:AuthToken"] = AuthToken,
        ["Bedrock:Region"] = "us-east-1",
    };

    private readonly List<Action<IServiceCollection>> _services = [];

    public MediaWorkerFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Adds to (or replaces) the worker's services, after its own.</summary>
    public MediaWorkerFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>Starts the worker; returns its <c>ws://127.0.0.1:port/media</c>.</summary>
    public Uri StartMediaEndpoint()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/media");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.ClearProviders());
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => _services.ForEach(configure => configure(services)));
    }
}
