using System.Collections.Concurrent;
using System.Text.Json;
using Bridge.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>
/// The api and the media worker as a test needs them, on a real loopback socket: it checks every signature
/// with Twilio's own library (through Bridge.Security), records what Twilio sent, answers the TwiML the test
/// sets, and hands each media stream to the test's handler.
/// </summary>
internal sealed class FakeBridge : IAsyncDisposable
{
    public const string AuthToken = "f1e2d3c4b5a697887766554433221100";

    private readonly WebApplication _app;
    private readonly TwilioSignatureValidator _validator = new(AuthToken);

    private FakeBridge(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public Uri WebhookUrl => new(BaseUrl + "/webhook");

    public string MediaUrl => "ws" + BaseUrl["http".Length..] + "/media";

    /// <summary>Every request Twilio made, in order: (path, form).</summary>
    public ConcurrentQueue<(string Path, Dictionary<string, string> Form)> Requests { get; } = new();

    /// <summary>Signatures that did not validate (a correct simulator leaves this empty).</summary>
    public ConcurrentQueue<string> BadSignatures { get; } = new();

    public Func<FakeBridge, string> AnswerCall { get; set; } = bridge => bridge.ConnectStreamTwiml();

    public string ConnectEndedTwiml { get; set; } = "<Response><Say>Goodbye</Say><Hangup/></Response>";

    public int WebhookStatus { get; set; } = 200;

    public bool RefuseUpgrade { get; set; }

    public Func<FakeMediaServer, Task> OnStream { get; set; } = server => server.Finished;

    public ConcurrentQueue<FakeMediaServer> Streams { get; } = new();

    /// <summary>The <c>traceparent</c> of every request Twilio made (the webhooks and the stream's upgrade), in order.</summary>
    public ConcurrentQueue<string> Traceparents { get; } = new();

    /// <summary>Called for every frame a stream receives (e.g. to echo audio back like a loopback model).</summary>
    public Func<FakeMediaServer, JsonElement, Task>? OnMessage { get; set; }

    public string ConnectStreamTwiml(string? streamUrl = null) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Response>
          <Connect action="/webhook/connect-ended">
            <Stream url="{streamUrl ?? MediaUrl}" statusCallback="{BaseUrl}/webhook/stream-status" statusCallbackMethod="POST">
              <Parameter name="token" value="v1.999.signed" />
              <Parameter name="from" value="+14155550100" />
            </Stream>
          </Connect>
          <Say>Not reached when there is an action</Say>
        </Response>
        """;

    public static async Task<FakeBridge> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var bridge = new FakeBridge(app);
        app.UseWebSockets();
        app.MapPost("/webhook", (Delegate)bridge.AnswerAsync);
        app.MapPost("/webhook/stream-status", (Delegate)bridge.RecordAsync);
        app.MapPost("/webhook/connect-ended", (Delegate)bridge.ConnectEndedAsync);
        app.Map("/media", bridge.MediaAsync);
        await app.StartAsync();
        bridge.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return bridge;
    }

    public IReadOnlyList<Dictionary<string, string>> FormsTo(string path) =>
        Requests.Where(r => r.Path == path).Select(r => r.Form).ToList();

    private async Task<IResult> AnswerAsync(HttpContext context) =>
        !await CheckAndRecordAsync(context) ? Results.StatusCode(403) :
        WebhookStatus == 200 ? Results.Content(AnswerCall(this), "application/xml") :
        Results.StatusCode(WebhookStatus);

    private async Task<IResult> ConnectEndedAsync(HttpContext context) =>
        await CheckAndRecordAsync(context) ? Results.Content(ConnectEndedTwiml, "application/xml") : Results.StatusCode(403);

    private async Task<IResult> RecordAsync(HttpContext context) =>
        await CheckAndRecordAsync(context) ? Results.NoContent() : Results.StatusCode(403);

    private async Task<bool> CheckAndRecordAsync(HttpContext context)
    {
        Traceparents.Enqueue(context.Request.Headers["traceparent"].ToString());
        var form = await context.Request.ReadFormAsync();
        var url = BaseUrl + context.Request.Path;
        var check = _validator.ValidateForm(url, form, context.Request.Headers[TwilioSignatureValidator.HeaderName]);
        if (!check.IsValid)
        {
            BadSignatures.Enqueue($"{url}: {check}");
            return false;
        }
        Requests.Enqueue((context.Request.Path, form.ToDictionary(f => f.Key, f => f.Value.ToString())));
        return true;
    }

    private async Task MediaAsync(HttpContext context)
    {
        Traceparents.Enqueue(context.Request.Headers["traceparent"].ToString());
        var check = _validator.ValidateWebSocketUpgrade(MediaUrl, context.Request.Headers["x-twilio-signature"]);
        if (!context.WebSockets.IsWebSocketRequest || !check.IsValid || RefuseUpgrade)
        {
            if (!check.IsValid)
            {
                BadSignatures.Enqueue($"upgrade: {check}");
            }
            context.Response.StatusCode = 403;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var server = new FakeMediaServer(socket, OnMessage);
        Streams.Enqueue(server);
        await OnStream(server);
        await server.Finished;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
