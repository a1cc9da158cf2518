using System.Net.Sockets;
using System.Text;
using Bridge.Tests.Api;
using Bridge.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.MediaWorker.PublicEdge;

/// <summary>
/// The load balancer forwards only the public paths (/webhook…, /media), but Kestrel decodes and normalises a path:
/// <c>/media/%2e%2e/health/readiness</c> would reach readiness through the public prefix. Health answers only at its
/// own path as sent.
/// </summary>
public sealed class HealthPathTests
{
    [Theory]
    [InlineData("/media/%2e%2e/health/readiness")]
    [InlineData("/media/%2E%2E/health/liveness")]
    [InlineData("/media/../health/readiness")]
    [InlineData("/health/%72eadiness")]
    public async Task The_worker_s_health_is_not_reached_through_a_public_prefix(string target)
    {
        await using var worker = await InProcessMediaWorker.StartAsync();

        Assert.Equal("200", await StatusAsync(worker.BaseAddress, "/health/readiness"));
        Assert.Equal("404", await StatusAsync(worker.BaseAddress, target));
    }

    [Fact]
    public async Task The_api_s_health_is_not_reached_through_a_public_prefix()
    {
        using var factory = new ApiFactory();
        // A port of the app's URLs, not UseKestrel(0): see InProcessMediaWorker.
        using var api = factory.WithWebHostBuilder(builder => builder.UseUrls("http://127.0.0.1:0"));
        api.UseKestrel();
        api.StartServer();
        var address = new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        Assert.Equal("200", await StatusAsync(address, "/health/liveness"));
        Assert.Equal("404", await StatusAsync(address, "/webhook/%2e%2e/health/readiness"));
    }

    /// <summary>The status code of a GET sent with <paramref name="target"/> exactly as written (no client normalises it).</summary>
    private static async Task<string> StatusAsync(Uri server, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n"));
        var response = await new StreamReader(stream, Encoding.ASCII).ReadLineAsync();
        return response!.Split(' ')[1];
    }
}
