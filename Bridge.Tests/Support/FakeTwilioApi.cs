using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Support;

/// <summary>
/// A local stand-in for Twilio's REST API call resource, on a real HTTP port: answers a fetch of a call like Twilio
/// (the call in progress on <see cref="AccountSid"/>, unless a test says it ended or has another status) and records
/// each fetch and each call update (the form Twilio's library posts and the account it authenticated as), including
/// the 404 with code 20404 for a call that has ended.
/// </summary>
public sealed class FakeTwilioApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeTwilioApi(WebApplication app, string accountSid)
    {
        _app = app;
        AccountSid = accountSid;
    }

    public sealed record CallUpdate(string AccountSid, string CallSid, string AuthenticatedAs, IReadOnlyDictionary<string, string> Form);

    public sealed record CallFetch(string AccountSid, string CallSid, string AuthenticatedAs);

    /// <summary>The account whose calls are in progress here; a fetch under any other finds nothing.</summary>
    public string AccountSid { get; }

    public ConcurrentQueue<CallUpdate> Updates { get; } = new();

    public ConcurrentQueue<CallFetch> Fetches { get; } = new();

    /// <summary>Calls for which the API answers "not found", as for a call that already hung up.</summary>
    public ConcurrentDictionary<string, bool> EndedCalls { get; } = new();

    /// <summary>Calls Twilio reports in another status than in-progress (ringing, completed, ...).</summary>
    public ConcurrentDictionary<string, string> CallStatuses { get; } = new();

    /// <summary>When set, every fetch answers this HTTP status with Twilio's error body (an outage).</summary>
    public int? FailFetchesWith { get; set; }

    public Uri BaseAddress => new(_app.Urls.First());

    public static async Task<FakeTwilioApi> StartAsync(string accountSid = DirectStream.AccountSid)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeTwilioApi(app, accountSid);
        app.MapGet("/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json", fake.FetchCall);
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json", fake.UpdateCallAsync);
        await app.StartAsync();
        return fake;
    }

    private IResult FetchCall(string accountSid, string callSid, HttpRequest request)
    {
        Fetches.Enqueue(new CallFetch(accountSid, callSid, AuthenticatedAs(request)));
        if (FailFetchesWith is { } status)
        {
            return Results.Json(new { code = 20500, message = "Internal Server Error", status }, statusCode: status);
        }
        if (EndedCalls.ContainsKey(callSid) || accountSid != AccountSid)
        {
            return NotFound();
        }
        return Results.Json(new { sid = callSid, account_sid = accountSid, status = CallStatuses.GetValueOrDefault(callSid, "in-progress") });
    }

    private async Task<IResult> UpdateCallAsync(string accountSid, string callSid, HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        Updates.Enqueue(new CallUpdate(accountSid, callSid, AuthenticatedAs(request), form.ToDictionary(f => f.Key, f => f.Value.ToString())));
        if (EndedCalls.ContainsKey(callSid))
        {
            return NotFound();
        }
        return Results.Json(new { sid = callSid, account_sid = accountSid, status = form["Status"].ToString() is { Length: > 0 } s ? s : "in-progress" });
    }

    private static string AuthenticatedAs(HttpRequest request) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.ToString()["Basic ".Length..])).Split(':')[0];

    private static IResult NotFound() =>
        Results.Json(new { code = 20404, message = "The requested resource was not found", status = 404 }, statusCode: 404);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
