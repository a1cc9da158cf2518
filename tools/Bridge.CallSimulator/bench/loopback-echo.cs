#:sdk Microsoft.NET.Sdk.Web
// A stand-in for api + worker + loopback emulator, to measure the call simulator's own load path:
// `dotnet run tools/Bridge.CallSimulator/bench/loopback-echo.cs`, then `bridge-call load --url http://127.0.0.1:5099/webhook ...`.
// It answers the webhook with <Connect><Stream> (signatures are not checked) and echoes every
// caller frame back re-chunked in 100-byte pieces, as the loopback model would after the worker re-chunks it.
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

var app = WebApplication.CreateSlimBuilder(args).Build();
app.UseWebSockets();
app.MapPost("/webhook", () => Results.Content(
    "<Response><Connect action=\"/webhook/connect-ended\"><Stream url=\"ws://127.0.0.1:5099/media\"><Parameter name=\"token\" value=\"x\"/></Stream></Connect></Response>",
    "application/xml"));
app.MapPost("/webhook/connect-ended", () => Results.Content("<Response><Hangup/></Response>", "application/xml"));
app.Map("/media", async (HttpContext context) =>
{
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[65536];
    var pending = new List<byte>();
    string? sid = null;
    while (true)
    {
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }
        using var json = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        var root = json.RootElement;
        var ev = root.GetProperty("event").GetString();
        if (ev == "start") sid = root.GetProperty("streamSid").GetString();
        if (ev != "media") continue;
        pending.AddRange(root.GetProperty("media").GetProperty("payload").GetBytesFromBase64());
        while (pending.Count >= 100)
        {
            var msg = $"{{\"event\":\"media\",\"streamSid\":\"{sid}\",\"media\":{{\"payload\":\"{Convert.ToBase64String(pending.GetRange(0, 100).ToArray())}\"}}}}";
            pending.RemoveRange(0, 100);
            await socket.SendAsync(Encoding.UTF8.GetBytes(msg), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }
});
app.Run("http://127.0.0.1:5099");
