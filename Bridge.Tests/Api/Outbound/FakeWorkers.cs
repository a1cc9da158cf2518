using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Api.Outbound;

/// <summary>A media worker's readiness on a real port: 200 (a free slot) or 503 (full), as the test sets it.</summary>
public sealed class FakeWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeWorker(WebApplication app) => _app = app;

    public bool Ready { get; set; }

    public int Asked { get; private set; }

    public Uri BaseAddress => new(_app.Urls.First());

    public static async Task<FakeWorker> StartAsync(bool ready)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var worker = new FakeWorker(app) { Ready = ready };
        app.MapGet("/health/readiness", () =>
        {
            worker.Asked++;
            return worker.Ready ? Results.Text("Healthy") : Results.Text("Unhealthy", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        await app.StartAsync();
        return worker;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
