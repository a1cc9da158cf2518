using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Bridge.HttpTools;
using Bridge.HttpTools.Callbacks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.CallSimulator.Outbound;

/// <summary>
/// The operator's side of an outbound test call: a loopback endpoint that takes the bridge's signed callbacks — the
/// api's outcome (<c>call.completed</c>) and the worker's conversation (<c>call.conversation</c>) — checks each one's
/// signature with the callback secret (a callback that does not verify is refused with 401 and never kept), and keeps
/// the first of each event by call.
/// </summary>
public sealed class OperatorEndpoint : IAsyncDisposable
{
    public const string Completed = "call.completed";
    public const string Conversation = "call.conversation";

    private readonly WebApplication _app;
    private readonly byte[] _secret;
    private readonly ConcurrentDictionary<(string CallSid, string Event), TaskCompletionSource<JsonElement>> _received = new();
    private int _refused;

    private OperatorEndpoint(WebApplication app, string secret)
    {
        _app = app;
        _secret = Encoding.UTF8.GetBytes(secret);
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Callbacks refused because their signature did not verify.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static async Task<OperatorEndpoint> StartAsync(string secret, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new OperatorEndpoint(app, secret);
        app.MapPost("/callbacks", endpoint.ReceiveAsync);
        await app.StartAsync(cancellationToken);
        endpoint.Url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/callbacks");
        return endpoint;
    }

    /// <summary>The first verified callback of <paramref name="eventName"/> for the call.</summary>
    public Task<JsonElement> ReceivedAsync(string callSid, string eventName, CancellationToken cancellationToken) =>
        For((callSid, eventName)).Task.WaitAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!ToolRequestSigner.Verify(_secret, request.Headers[ToolRequestSigner.TimestampHeader], request.Headers[ToolRequestSigner.SignatureHeader],
                body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)))
        {
            Interlocked.Increment(ref _refused);
            return Results.Unauthorized();
        }
        using var document = JsonDocument.Parse(body);
        var callback = document.RootElement.Clone();
        var callSid = callback.GetProperty("callSid").GetString() ?? "";
        For((callSid, request.Headers[SignedCallbackClient.EventHeader].ToString())).TrySetResult(callback);
        return Results.NoContent();
    }

    private TaskCompletionSource<JsonElement> For((string, string) key) =>
        _received.GetOrAdd(key, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
}
