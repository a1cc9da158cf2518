using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Api.Outbound;

/// <summary>
/// Twilio's <c>POST …/Calls.json</c> on a real port, answering as a test scripts it (an error status, or never), and
/// counting every create that reaches it: a create retried by any layer shows as a second request.
/// </summary>
public sealed class ScriptedTwilio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ScriptedTwilio(WebApplication app) => _app = app;

    /// <summary>The call a 201 answer names.</summary>
    public const string CallSid = "CA0123456789abcdef0123456789abcdef";

    /// <summary>Each create's form; a repeated field (StatusCallbackEvent) as its values joined with spaces.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Creates { get; } = new();

    public Uri BaseAddress => new(_app.Urls.First());

    /// <param name="status">The HTTP status every create gets (201 with a call resource, or an error); null: the request is held until the test ends (a timeout).</param>
    public static async Task<ScriptedTwilio> StartAsync(int? status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var twilio = new ScriptedTwilio(app);
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Calls.json", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            twilio.Creates.Enqueue(form.ToDictionary(f => f.Key, f => string.Join(' ', f.Value.ToArray()), StringComparer.Ordinal));
            if (status is not { } code)
            {
                await twilio._released.Task;
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }
            if (code == StatusCodes.Status201Created)
            {
                return Results.Json(new { sid = CallSid, status = "queued", to = form["To"].ToString(), from = form["From"].ToString() }, statusCode: code);
            }
            return Results.Json(new { code = 20500, message = "An internal server error has occurred", status = code }, statusCode: code);
        });
        await app.StartAsync();
        return twilio;
    }

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        await _app.DisposeAsync();
    }
}
