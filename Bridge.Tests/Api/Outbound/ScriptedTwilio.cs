using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Api.Outbound;

/// <summary>
/// Twilio's calls on a real port: <c>POST …/Calls.json</c> (create), <c>GET …/Calls/CA….json</c> (fetch) and
/// <c>POST …/Calls/CA….json</c> (update), answering as a test scripts it (an error status, or never), and counting every
/// create that reaches it: a create retried by any layer shows as a second request.
/// </summary>
public sealed class ScriptedTwilio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fetches;

    private ScriptedTwilio(WebApplication app) => _app = app;

    /// <summary>The call a 201 answer names.</summary>
    public const string CallSid = "CA0123456789abcdef0123456789abcdef";

    /// <summary>Each create's form; a repeated field (StatusCallbackEvent) as its values joined with spaces.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Creates { get; } = new();

    /// <summary>The calls a fetch finds (Twilio's JSON of each, by CallSid); any other gets Twilio's 404, error 20404.</summary>
    public ConcurrentDictionary<string, object> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>Each update's call and form, in order.</summary>
    public ConcurrentQueue<(string CallSid, IReadOnlyDictionary<string, string> Form)> Updates { get; } = new();

    /// <summary>Fetches that reached Twilio (a retry counts again).</summary>
    public int Fetches => _fetches;

    public Uri BaseAddress => new(_app.Urls.First());

    /// <param name="status">
    /// The HTTP status every request gets: 201, a create its call and a fetch or update the call of <see cref="Calls"/>
    /// (or 404); another, that error; null, nothing: the request is held until the test ends (a timeout).
    /// </param>
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
            return await twilio.AnswerAsync(status, () => Results.Json(
                new { sid = CallSid, status = "queued", to = form["To"].ToString(), from = form["From"].ToString() }, statusCode: StatusCodes.Status201Created));
        });
        app.MapGet("/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json", async (string callSid) =>
        {
            Interlocked.Increment(ref twilio._fetches);
            return await twilio.AnswerAsync(status, () => twilio.Found(callSid));
        });
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json", async (string callSid, HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            twilio.Updates.Enqueue((callSid, form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)));
            return await twilio.AnswerAsync(status, () => twilio.Found(callSid));
        });
        await app.StartAsync();
        return twilio;
    }

    /// <summary>
    /// The scripted answer: <paramref name="success"/> for 201, Twilio's error JSON for another status (429 as Twilio
    /// throttles an account, any other as its internal error), nothing until the end for null.
    /// </summary>
    private async Task<IResult> AnswerAsync(int? status, Func<IResult> success)
    {
        if (status is not { } code)
        {
            await _released.Task;
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }
        return code == StatusCodes.Status201Created
            ? success()
            : code == StatusCodes.Status429TooManyRequests
                ? Results.Json(new { code = 20429, message = "Too Many Requests", status = code }, statusCode: code)
                : Results.Json(new { code = 20500, message = "An internal server error has occurred", status = code }, statusCode: code);
    }

    private IResult Found(string callSid) => Calls.TryGetValue(callSid, out var call)
        ? Results.Json(call)
        : Results.Json(new { code = 20404, message = $"The requested resource /Calls/{callSid}.json was not found", status = 404 }, statusCode: StatusCodes.Status404NotFound);

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        await _app.DisposeAsync();
    }
}
