#:project ../../tools/Bridge.CallSimulator/Bridge.CallSimulator.csproj
#:property PublishAot=false
// The attacks of issue 12 against a bridge running as in production on this machine (api + media worker + emulator,
// started by scripts/public-edge/check.sh), each with the answer it gets. Loopback only. Prints one line per attack:
// what was done, what came back, and whether that is the answer the public edge must give.
//
//   dotnet run -c Release scripts/public-edge/attacks.cs -- <api port> <worker port> <twilio api port> <worker pid> <public url> <auth token> <account sid> <emulator log>
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging.Abstractions;

var (apiPort, workerPort, twilioPort, workerPid) = (int.Parse(args[0]), int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3]));
var (publicUrl, authToken, accountSid, emulatorLog) = (args[4].TrimEnd('/'), args[5], args[6], args[7]);
var publicMedia = "wss://" + new Uri(publicUrl).Authority + "/media";
var localApi = $"http://127.0.0.1:{apiPort}";
var localMedia = new Uri($"ws://127.0.0.1:{workerPort}/media");
var routes = new PublicRoutes([(new Uri(publicUrl + "/webhook"), new Uri(localApi + "/webhook")), (new Uri(publicMedia), localMedia)]);
var failures = 0;
var liveCalls = new LiveCalls();
await using var twilio = await TwilioCallsApi.StartAsync(new Uri($"http://127.0.0.1:{twilioPort}"), liveCalls);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

void Report(string attack, string answer, bool asIssueNames)
{
    failures += asIssueNames ? 0 : 1;
    Console.WriteLine($"{(asIssueNames ? "ok  " : "FAIL")} {attack}\n     -> {answer}");
}

// Model streams the emulator accepted so far, from its request log, once the log has settled (its console output lags
// behind under load): the count no longer changes for a second.
int ModelStreams()
{
    int Count() => File.ReadLines(emulatorLog).Count(line => line.Contains("POST", StringComparison.Ordinal) && line.Contains("invoke-with-bidirectional-stream", StringComparison.Ordinal));
    var count = Count();
    while (true)
    {
        Thread.Sleep(1000);
        var now = Count();
        if (now == count)
        {
            return count;
        }
        count = now;
    }
}

double CpuSeconds()
{
    var fields = File.ReadAllText($"/proc/{workerPid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

async Task<HttpStatusCode> ReadinessAsync() =>
    (await http.GetAsync($"http://127.0.0.1:{workerPort}/health/readiness")).StatusCode;

// A call as Twilio places it: registered with (our fake of) Twilio's REST API, the signed voice webhook, its TwiML.
async Task<(string CallSid, Dictionary<string, string> Form, Dictionary<string, string> Parameters)> AnswerCallAsync()
{
    var callSid = TwilioSid.NewCallSid();
    liveCalls.Register(accountSid, callSid, authToken).Answered();
    var form = new Dictionary<string, string> { ["AccountSid"] = accountSid, ["CallSid"] = callSid, ["CallStatus"] = "ringing", ["From"] = "+14155550100", ["To"] = "+15005550006" };
    return (callSid, form, await WebhookAsync(form));
}

async Task<Dictionary<string, string>> WebhookAsync(Dictionary<string, string> form)
{
    var request = new HttpRequestMessage(HttpMethod.Post, localApi + "/webhook") { Content = new FormUrlEncodedContent(form) };
    request.Headers.Add(TwilioRequestSigner.HeaderName, TwilioRequestSigner.SignForm(authToken, publicUrl + "/webhook", form));
    var twiml = XDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
    return twiml.Descendants("Parameter").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
}

async Task<ClientWebSocket> UpgradeAsync(string? forwardedFor = null)
{
    var socket = new ClientWebSocket();
    socket.Options.CollectHttpResponseDetails = true;
    socket.Options.SetRequestHeader(TwilioRequestSigner.WebSocketHeaderName, TwilioRequestSigner.SignWebSocketUpgrade(authToken, publicMedia));
    if (forwardedFor is not null)
    {
        socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
    }
    await socket.ConnectAsync(localMedia, CancellationToken.None);
    return socket;
}

StreamStart Start(string callSid, Dictionary<string, string> parameters, string? account = null) =>
    new(account ?? accountSid, callSid, TwilioSid.NewStreamSid(), [.. parameters]);

async Task SendAsync(ClientWebSocket socket, ReadOnlyMemory<byte> frame) => await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);

async Task<(WebSocketCloseStatus? Status, string? Reason, int Media)> CloseAsync(ClientWebSocket socket, TimeSpan timeout)
{
    using var wait = new CancellationTokenSource(timeout);
    var buffer = new byte[64 * 1024];
    var media = 0;
    try
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, wait.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (socket.CloseStatus, socket.CloseStatusDescription, media);
            }
            media += Encoding.UTF8.GetString(buffer, 0, result.Count).Contains("\"media\"", StringComparison.Ordinal) ? 1 : 0;
        }
    }
    catch (Exception e) when (e is WebSocketException or OperationCanceledException)
    {
        return (null, e.Message, media);
    }
}

async Task<(ClientWebSocket Socket, TwilioMessageWriter Writer)> OpenStreamAsync(StreamStart start)
{
    var socket = await UpgradeAsync();
    var writer = new TwilioMessageWriter(start);
    await SendAsync(socket, writer.Connected());
    await SendAsync(socket, writer.Start(1));
    return (socket, writer);
}

async Task StreamAudioAsync(ClientWebSocket socket, TwilioMessageWriter writer, TimeSpan length)
{
    var silence = new byte[160];
    Array.Fill(silence, (byte)0xFF);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < length.TotalMilliseconds / 20 && socket.State == WebSocketState.Open; i++)
    {
        await SendAsync(socket, writer.Media(i + 2, i, i * 20, silence));
        var due = TimeSpan.FromMilliseconds(20 * (i + 1)) - clock.Elapsed;
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due);
        }
    }
}

async Task<CallSummary> PlaceCallAsync(TimeSpan length) =>
    await new CallSimulation(http, TimeProvider.System, NullLogger<CallSimulation>.Instance, liveCalls).RunAsync(new CallSimulationOptions
    {
        WebhookUrl = new Uri(publicUrl + "/webhook"),
        AuthToken = authToken,
        AccountSid = accountSid,
        Routes = routes,
        LoopbackOnly = true,
        Media = new MediaStreamOptions
        {
            Audio = CallerAudio.FromMuLaw([.. Enumerable.Repeat((byte)0xFF, (int)(length.TotalSeconds * 8000))]),
            MaxDuration = length + TimeSpan.FromSeconds(1),
            HangUpAfterQuiet = TimeSpan.FromSeconds(1),
            RecordHeardAudio = false,
        },
    });

// 1. One address floods the pool of sockets waiting for their start, reopening each one the worker closes, while calls
//    come from another address.
{
    using var stop = new CancellationTokenSource();
    int held = 0, mostHeld = 0, tooMany = 0, opened = 0, timedOut = 0;
    async Task LaneAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            ClientWebSocket socket;
            try
            {
                socket = await UpgradeAsync("203.0.113.7");
            }
            catch (WebSocketException)
            {
                Interlocked.Increment(ref tooMany);
                await Task.Delay(50);
                continue;
            }
            using (socket)
            {
                Interlocked.Increment(ref opened);
                var now = Interlocked.Increment(ref held);
                InterlockedMax(ref mostHeld, now);
                await SendAsync(socket, Encoding.UTF8.GetBytes("""{"event":"connected","protocol":"Call","version":"1.0.0"}"""));
                var (status, _, _) = await CloseAsync(socket, TimeSpan.FromSeconds(30));
                Interlocked.Decrement(ref held);
                if (status == WebSocketCloseStatus.PolicyViolation)
                {
                    Interlocked.Increment(ref timedOut);
                }
            }
        }
    }
    var lanes = Enumerable.Range(0, 48).Select(_ => Task.Run(LaneAsync)).ToList();
    await Task.Delay(TimeSpan.FromSeconds(2));
    var readiness = new List<HttpStatusCode>();
    var calls = new List<CallSummary>();
    var floodClock = Stopwatch.StartNew();
    while (floodClock.Elapsed < TimeSpan.FromSeconds(20))
    {
        var round = Enumerable.Range(0, 5).Select(_ => PlaceCallAsync(TimeSpan.FromSeconds(3))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        readiness.Add(await ReadinessAsync());
        calls.AddRange(await Task.WhenAll(round));
    }
    stop.Cancel();
    await Task.WhenAll(lanes);
    var answered = calls.Count(c => c.Succeeded && c.Stream is { End: StreamEnd.CallerHungUp or StreamEnd.MaxDuration });
    Report($"48 lanes from 203.0.113.7 holding signed sockets that never send start, reopened as closed, for {floodClock.Elapsed.TotalSeconds:0} s, while {calls.Count} calls came from 127.0.0.1",
        $"the address held at most {mostHeld} pre-start sockets; {opened} opened in all, {tooMany} upgrades refused with 429, {timedOut} closed at the start timeout (1008); " +
        $"{answered} of {calls.Count} calls answered; readiness {string.Join(", ", readiness.GroupBy(r => (int)r).Select(g => $"{g.Key} x{g.Count()}"))}",
        mostHeld <= 16 && answered == calls.Count && readiness.All(r => r == HttpStatusCode.OK));
}

// 2. The same stream token again after its call ended, and on a second socket while its call is live.
{
    var (callSid, form, parameters) = await AnswerCallAsync();
    var (first, writer) = await OpenStreamAsync(Start(callSid, parameters));
    var audio = StreamAudioAsync(first, writer, TimeSpan.FromSeconds(3));
    await Task.Delay(TimeSpan.FromSeconds(1));
    var models = ModelStreams();
    var (second, _) = await OpenStreamAsync(Start(callSid, parameters));
    var concurrent = await CloseAsync(second, TimeSpan.FromSeconds(10));
    var concurrentModels = ModelStreams() - models;
    await audio;
    await SendAsync(first, writer.Stop(200));
    var firstHeard = await CloseAsync(first, TimeSpan.FromSeconds(10));
    Report("the same token on a second socket while its call is live",
        $"{(int?)concurrent.Status} \"{concurrent.Reason}\", {concurrentModels} model streams opened; the first stream ended {(int?)firstHeard.Status} \"{firstHeard.Reason}\" with {firstHeard.Media} media messages back",
        concurrent.Status == WebSocketCloseStatus.PolicyViolation && concurrentModels == 0 && firstHeard.Media > 0);

    models = ModelStreams();
    var (reused, _) = await OpenStreamAsync(Start(callSid, parameters));
    var after = await CloseAsync(reused, TimeSpan.FromSeconds(10));
    var afterModels = ModelStreams() - models;
    Report("the same token after its call ended", $"{(int?)after.Status} \"{after.Reason}\", {afterModels} model streams opened",
        after.Status == WebSocketCloseStatus.PolicyViolation && afterModels == 0);

    // 3. The call is over (Twilio no longer knows it); its captured voice webhook is replayed once the first token
    //    has expired (the run sets Bridge:StreamTokenLifetime to 5 s; it is 60 s by default), for a fresh token.
    liveCalls.Remove(callSid);
    await Task.Delay(TimeSpan.FromSeconds(6));
    var fresh = await WebhookAsync(form);
    models = ModelStreams();
    var (replayed, _) = await OpenStreamAsync(Start(callSid, fresh));
    var replay = await CloseAsync(replayed, TimeSpan.FromSeconds(10));
    var replayModels = ModelStreams() - models;
    Report("a captured voice webhook replayed after the call ended (and its first token expired)",
        $"a fresh token ({fresh["token"] != parameters["token"]}); the stream: {(int?)replay.Status} \"{replay.Reason}\", {replayModels} model streams opened",
        fresh["token"] != parameters["token"] && replay.Status == WebSocketCloseStatus.PolicyViolation && replayModels == 0);
}

// 4. A valid call that sends no audio.
{
    var (callSid, _, parameters) = await AnswerCallAsync();
    var clock = Stopwatch.StartNew();
    var (socket, _) = await OpenStreamAsync(Start(callSid, parameters));
    var idle = await CloseAsync(socket, TimeSpan.FromSeconds(60));
    Report("a valid call (its model stream open) that sends no media", $"{(int?)idle.Status} \"{idle.Reason}\" after {clock.Elapsed.TotalSeconds:0.0} s", idle.Status == WebSocketCloseStatus.PolicyViolation && clock.Elapsed < TimeSpan.FromSeconds(15));
    liveCalls.Remove(callSid);
}

// 5. Sixty seconds of caller audio sent as fast as the socket takes it.
{
    var (callSid, _, parameters) = await AnswerCallAsync();
    var (socket, writer) = await OpenStreamAsync(Start(callSid, parameters));
    var clock = Stopwatch.StartNew();
    var sent = 0;
    var silence = new byte[160];
    try
    {
        for (; sent < 3000 && socket.State == WebSocketState.Open; sent++)
        {
            await SendAsync(socket, writer.Media(sent + 2, sent, sent * 20, silence));
        }
    }
    catch (WebSocketException)
    {
    }
    var sending = clock.Elapsed;
    var fast = await CloseAsync(socket, TimeSpan.FromSeconds(10));
    Report("60 s of caller audio sent as fast as possible", $"{sent} of 3000 frames sent in {sending.TotalMilliseconds:0} ms before {(int?)fast.Status} \"{fast.Reason}\"",
        fast.Status == WebSocketCloseStatus.PolicyViolation);
    liveCalls.Remove(callSid);
}

// 6. A ping flood on one socket, then reconnecting floods from one address, for 5 s each: the worker's CPU.
foreach (var reconnect in new[] { false, true })
{
    var cpuBefore = CpuSeconds();
    var clock = Stopwatch.StartNew();
    long pings = 0, connections = 0;
    while (clock.Elapsed < TimeSpan.FromSeconds(5))
    {
        connections++;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, workerPort);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /media HTTP/1.1\r\nHost: 127.0.0.1:{workerPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n" +
            $"x-twilio-signature: {TwilioRequestSigner.SignWebSocketUpgrade(authToken, publicMedia)}\r\nX-Forwarded-For: 198.51.100.66\r\n\r\n"));
        var drain = stream.CopyToAsync(Stream.Null);
        var ping = new byte[] { 0x89, 0x80, 1, 2, 3, 4 };
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                await stream.WriteAsync(ping);
                pings++;
            }
        }
        catch (IOException)
        {
        }
        if (!reconnect)
        {
            await Task.Delay(TimeSpan.FromSeconds(5) - clock.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
            break;
        }
    }
    var cpu = CpuSeconds() - cpuBefore;
    // Before the bound, one socket's flood cost the worker 3.8 s of CPU in 5 s.
    Report(reconnect ? "ping floods on a new socket each time the last is cut, from one address, for 5 s" : "a ping flood on one socket for 5 s",
        $"{pings} pings on {connections} connection(s); the worker used {cpu:0.00} s of CPU", cpu < (reconnect ? 1.9 : 0.5));
}

// 7. A start naming another account.
{
    var (callSid, _, parameters) = await AnswerCallAsync();
    var models = ModelStreams();
    var (socket, _) = await OpenStreamAsync(Start(callSid, parameters, "ACffffffffffffffffffffffffffffffff"));
    var foreign = await CloseAsync(socket, TimeSpan.FromSeconds(10));
    var foreignModels = ModelStreams() - models;
    Report("a start naming another account", $"{(int?)foreign.Status} \"{foreign.Reason}\", {foreignModels} model streams opened",
        foreign.Status == WebSocketCloseStatus.PolicyViolation && foreignModels == 0);
    liveCalls.Remove(callSid);
}

// 8. A call at the maximum duration (the run sets Calls:MaxDuration to 20 s): it ends through Twilio's REST API, as our
//    account (the REST API here answers no other).
{
    var clock = Stopwatch.StartNew();
    var longCall = await PlaceCallAsync(TimeSpan.FromSeconds(40));
    Report("a call longer than Calls:MaxDuration (20 s here)", $"{longCall.Outcome} after {clock.Elapsed.TotalSeconds:0.0} s",
        longCall.Outcome.Contains("REST API (Status=completed)", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(30));
}

// 9. Health through a public prefix, and a JSON-signed URL replayed with an empty body.
foreach (var (port, target) in new[] { (workerPort, "/media/%2e%2e/health/readiness"), (apiPort, "/webhook/%2e%2e/health/readiness") })
{
    using var tcp = new TcpClient();
    await tcp.ConnectAsync(IPAddress.Loopback, port);
    var stream = tcp.GetStream();
    await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    var status = (await new StreamReader(stream).ReadLineAsync())!;
    Report($"GET {target} on port {port}", status, status.Contains(" 404 ", StringComparison.Ordinal));
}
{
    var body = """{"StreamEvent":"stream-started"}""";
    var (url, signature) = TwilioRequestSigner.SignJson(authToken, publicUrl + "/webhook/stream-status", body);
    var request = new HttpRequestMessage(HttpMethod.Post, localApi + new Uri(url).PathAndQuery);
    request.Headers.Add(TwilioRequestSigner.HeaderName, signature);
    var status = (await http.SendAsync(request)).StatusCode;
    Report("a JSON-signed URL and its signature, replayed with an empty body", $"{(int)status}", status == HttpStatusCode.Forbidden);
}

// 10. A flood of forged webhooks (for the api's throttled refusal log, counted by the script).
{
    var forged = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromSeconds(30) && forged < 2500)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, localApi + "/webhook") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["CallSid"] = TwilioSid.NewCallSid() }) };
        request.Headers.Add(TwilioRequestSigner.HeaderName, "forged");
        request.Headers.Add("X-Forwarded-For", $"198.51.100.{forged % 200}");
        await http.SendAsync(request);
        forged++;
    }
    Console.WriteLine($"info {forged} forged webhooks in {clock.Elapsed.TotalSeconds:0.0} s");
}

Console.WriteLine(failures == 0 ? "Every attack got the answer the issue names." : $"{failures} attack(s) did not get the answer the issue names.");
return failures == 0 ? 0 : 1;

static void InterlockedMax(ref int target, int value)
{
    var current = Volatile.Read(ref target);
    while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
    {
        current = seen;
    }
}
