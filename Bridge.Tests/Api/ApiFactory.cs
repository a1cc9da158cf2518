using Bridge.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Api;

/// <summary>The real API in memory, configured as it would be behind a load balancer at https://voice.example.com.</summary>
public sealed class ApiFactory : WebApplicationFactory<ApiEntryPoint>
{
    public const string AuthToken = "f1e2d3c4b5a697887766554433221100";
    public const string PublicBaseUrl = "https://voice.example.com";

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Twilio:AuthToken"] = AuthToken,
        ["Bridge:PublicBaseUrl"] = PublicBaseUrl,
    };

    private readonly List<Action<IServiceCollection>> _services = [];

    public ApiFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Changes the api's services after its own registrations (what configuration cannot reach).</summary>
    public ApiFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.ClearProviders());
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => _services.ForEach(configure => configure(services)));
    }
}
