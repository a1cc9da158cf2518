using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Support;

/// <summary>An operator's status callback endpoint on a loopback port: keeps each callback (headers and raw body) by CallSid.</summary>
public sealed class OperatorCallbackReceiver : IAsyncDisposable
{
    public sealed record Callback(string? Timestamp, string? Signature, string? Event, byte[] Body);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Callback>> _byCall = new(StringComparer.Ordinal);

    private OperatorCallbackReceiver(WebApplication app) => _app = app;

    public Uri Url => new(new Uri(_app.Urls.First()), "/outcome");

    public static async Task<OperatorCallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OperatorCallbackReceiver(app);
        app.MapPost("/outcome", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            using var json = System.Text.Json.JsonDocument.Parse(body);
            var callSid = json.RootElement.GetProperty("callSid").GetString()!;
            receiver.For(callSid).TrySetResult(new Callback(
                request.Headers["X-Bridge-Timestamp"], request.Headers["X-Bridge-Signature"], request.Headers["X-Bridge-Event"], body));
            return Results.NoContent();
        });
        await app.StartAsync();
        return receiver;
    }

    public Task<Callback> ReceivedAsync(string callSid, TimeSpan timeout) => For(callSid).Task.WaitAsync(timeout);

    private TaskCompletionSource<Callback> For(string callSid) =>
        _byCall.GetOrAdd(callSid, _ => new TaskCompletionSource<Callback>(TaskCreationOptions.RunContinuationsAsynchronously));

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
