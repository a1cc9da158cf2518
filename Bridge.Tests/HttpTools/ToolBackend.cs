using System.Collections.Concurrent;
using System.Text;
using Bridge.HttpTools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.HttpTools;

/// <summary>
/// A real HTTP server on loopback standing for a deployer's backend: it checks each request's signature as a
/// backend would (docs/agents.md) and answers as the test says.
/// </summary>
public sealed class ToolBackend : IAsyncDisposable
{
    public const string Secret = "test-tool-secret-0123456789abcdef-0123";

    private readonly WebApplication _app;

    private ToolBackend(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the backend answers; by default 200 with {"status":"shipped"}.</summary>
    public Func<HttpContext, Task> Answer { get; set; } = context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("""{"status":"shipped"}""");
    };

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public Uri Url(string path) => new(BaseAddress, path);

    public static async Task<ToolBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ToolBackend? backend = null;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            var valid = ToolRequestSigner.Verify(
                Encoding.UTF8.GetBytes(Secret),
                context.Request.Headers[ToolRequestSigner.TimestampHeader],
                context.Request.Headers[ToolRequestSigner.SignatureHeader],
                body,
                DateTimeOffset.UtcNow,
                TimeSpan.FromMinutes(5));
            backend!.Requests.Enqueue(new ReceivedRequest(
                context.Request.Path,
                Encoding.UTF8.GetString(body),
                valid,
                context.Request.Headers[ToolRequestSigner.ToolHeader].ToString(),
                context.Request.Headers[ToolRequestSigner.ToolUseIdHeader].ToString(),
                context.Request.Headers[ToolRequestSigner.TimestampHeader].ToString(),
                context.Request.Headers[ToolRequestSigner.SignatureHeader].ToString(),
                body));
            if (!valid)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await backend.Answer(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend = new ToolBackend(app, new Uri(address));
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A request as the backend got it; <see cref="RawBody"/>, <see cref="Timestamp"/> and <see cref="Signature"/> let a test check the signature its own way.</summary>
public sealed record ReceivedRequest(string Path, string Body, bool SignatureValid, string Tool, string ToolUseId, string Timestamp, string Signature, byte[] RawBody);
