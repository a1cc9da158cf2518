using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Support;

/// <summary>
/// An operator's callback endpoint on a loopback port: keeps each callback (headers and raw body) by CallSid and event
/// (<c>call.completed</c> from the api, <c>call.conversation</c> from the worker), counting attempts. It answers
/// <c>status</c> (204 unless a test makes it fail), when <c>answer</c> lets it.
/// </summary>
public sealed class OperatorCallbackReceiver : IAsyncDisposable
{
    public const string Completed = "call.completed";
    public const string Conversation = "call.conversation";

    public sealed record Callback(string? Timestamp, string? Signature, string? Event, byte[] Body);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string CallSid, string Event), TaskCompletionSource<Callback>> _received = new();
    private readonly ConcurrentDictionary<(string CallSid, string Event), int> _attempts = new();
    private int _total;

    private OperatorCallbackReceiver(WebApplication app) => _app = app;

    public Uri Url => new(new Uri(_app.Urls.First()), "/outcome");

    /// <summary>Every callback that arrived, whatever its call or event.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <param name="answer">When given, each request is answered only once it completes (an operator that hangs).</param>
    public static async Task<OperatorCallbackReceiver> StartAsync(int status = StatusCodes.Status204NoContent, Task? answer = null)
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
            var key = (json.RootElement.GetProperty("callSid").GetString()!, request.Headers["X-Bridge-Event"].ToString());
            Interlocked.Increment(ref receiver._total);
            receiver._attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            receiver.For(key).TrySetResult(new Callback(
                request.Headers["X-Bridge-Timestamp"], request.Headers["X-Bridge-Signature"], request.Headers["X-Bridge-Event"], body));
            if (answer is not null)
            {
                await answer;
            }
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The first callback of <paramref name="eventName"/> for the call.</summary>
    public Task<Callback> ReceivedAsync(string callSid, TimeSpan timeout, string eventName = Completed) => For((callSid, eventName)).Task.WaitAsync(timeout);

    /// <summary>How many times the callback of <paramref name="eventName"/> for the call arrived.</summary>
    public int Attempts(string callSid, string eventName) => _attempts.GetValueOrDefault((callSid, eventName));

    private TaskCompletionSource<Callback> For((string, string) key) =>
        _received.GetOrAdd(key, _ => new TaskCompletionSource<Callback>(TaskCreationOptions.RunContinuationsAsynchronously));

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
