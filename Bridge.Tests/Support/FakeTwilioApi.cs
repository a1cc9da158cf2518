using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Support;

/// <summary>
/// A local stand-in for Twilio's REST API call resource, on a real HTTP port: records each call update (the
/// form Twilio's library posts and the account it authenticated as) and answers like Twilio, including the
/// 404 with code 20404 for a call that has ended.
/// </summary>
public sealed class FakeTwilioApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeTwilioApi(WebApplication app) => _app = app;

    public sealed record CallUpdate(string AccountSid, string CallSid, string AuthenticatedAs, IReadOnlyDictionary<string, string> Form);

    public ConcurrentQueue<CallUpdate> Updates { get; } = new();

    /// <summary>Calls for which the API answers "not found", as for a call that already hung up.</summary>
    public ConcurrentDictionary<string, bool> EndedCalls { get; } = new();

    public Uri BaseAddress => new(_app.Urls.First());

    public static async Task<FakeTwilioApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeTwilioApi(app);
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json", fake.UpdateCallAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task<IResult> UpdateCallAsync(string accountSid, string callSid, HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.ToString()["Basic ".Length..]));
        Updates.Enqueue(new CallUpdate(accountSid, callSid, credentials.Split(':')[0], form.ToDictionary(f => f.Key, f => f.Value.ToString())));
        if (EndedCalls.ContainsKey(callSid))
        {
            return Results.Json(new { code = 20404, message = "The requested resource was not found", status = 404 }, statusCode: 404);
        }
        return Results.Json(new { sid = callSid, account_sid = accountSid, status = form["Status"].ToString() is { Length: > 0 } s ? s : "in-progress" });
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
