using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bridge.Emulator;
using Bridge.Emulator.Nova;
using Bridge.Tests.HttpTools;
using Bridge.Tests.Support;
using Bridge.TwilioStandIn.Media;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// A profile's HTTP tools end to end: the simulator plays Twilio over a real WebSocket into the real worker, the
/// emulator plays Nova Sonic over HTTP/2 and calls a tool when the caller presses its key, and a real HTTP server
/// plays the deployer's backend, checking each signature the way docs/agents.md tells a backend to. Every wait is for
/// a signal (a request arriving, a result reaching the model, audio received), never a sleep.
/// </summary>
public sealed class HttpToolsThroughWorkerTests(HttpToolsRig rig) : IClassFixture<HttpToolsRig>
{
    [Fact]
    public async Task The_backend_gets_a_signed_request_and_its_answer_reaches_the_model_while_the_caller_is_still_heard()
    {
        var arrivedAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var call = await rig.CallAsync();
        rig.Backend.Answer = async context =>
        {
            // Answers only once the model has heard two more seconds of the caller: a call that stopped streaming while
            // its tool ran would leave this waiting until the tool's timeout, and the model would get an apology.
            var atArrival = call.Prompt.AudioBytesReceived;
            arrivedAt.TrySetResult(atArrival);
            while (call.Prompt.AudioDuration(call.Prompt.AudioBytesReceived - atArrival) < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(10, context.RequestAborted);
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"orderNumber":"1042","status":"shipped"}""");
        };

        call.Press('1');
        var result = await call.ResultAsync(1);

        var request = Assert.Single(rig.Backend.Requests);
        Assert.True(HttpToolsRig.SignedAsDocumented(request), "the signature does not verify as docs/agents.md describes");
        Assert.Equal(("/tools/order_status", "order_status"), (request.Path, request.Tool));
        using (var body = JsonDocument.Parse(request.Body))
        {
            var root = body.RootElement;
            Assert.Equal("1042", root.GetProperty("input").GetProperty("orderNumber").GetString());
            Assert.Equal(request.ToolUseId, root.GetProperty("toolUseId").GetString());
            var context = root.GetProperty("call");
            Assert.Equal(call.CallSid, context.GetProperty("callSid").GetString());
            Assert.Equal(("desk", "+15555550100", "+15555550199"),
                (context.GetProperty("agent").GetString(), context.GetProperty("caller").GetString(), context.GetProperty("called").GetString()));
        }
        Assert.Equal(request.ToolUseId, result.ToolUseId);
        Assert.Equal("""{"orderNumber":"1042","status":"shipped"}""", result.Content);
        // Measured in the audio the model received, not in time: the caller went on being heard while the tool ran.
        var heardMeanwhile = call.Prompt.AudioDuration(result.AudioBytesBefore - await arrivedAt.Task);
        Assert.True(heardMeanwhile >= TimeSpan.FromSeconds(2), $"the model heard {heardMeanwhile} of the caller while the tool ran");
    }

    [Fact]
    public async Task Input_that_breaks_the_schema_is_refused_without_a_request_and_a_timeout_becomes_an_apology()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Backend.Answer = async context =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        await using var call = await rig.CallAsync();

        call.Press('2');
        var refused = await call.ResultAsync(1);
        Assert.Empty(rig.Backend.Requests);
        Assert.Contains("The input did not match the tool", refused.Content, StringComparison.Ordinal);
        Assert.Contains("/orderNumber", refused.Content, StringComparison.Ordinal);

        call.Press('3');
        var timedOut = await call.ResultAsync(2);
        Assert.Equal("/tools/slow_lookup", Assert.Single(rig.Backend.Requests).Path);
        Assert.Equal("""{"error":"The slow_lookup service did not answer in time. Apologise, and offer to try again or to help another way."}""", timedOut.Content);
        await aborted.Task.WaitAsync(HttpToolsRig.Patience);
    }

    [Fact]
    public async Task Two_tools_run_at_once_and_their_results_reach_the_model_in_the_order_they_finish()
    {
        var stockArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseStock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Backend.Answer = async context =>
        {
            if (context.Request.Path == "/tools/stock_check")
            {
                stockArrived.TrySetResult();
                await releaseStock.Task.WaitAsync(context.RequestAborted);
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Path == "/tools/stock_check" ? """{"inStock":12}""" : """{"status":"shipped"}""");
        };
        await using var call = await rig.CallAsync();

        call.Press('4');
        await stockArrived.Task.WaitAsync(HttpToolsRig.Patience);
        call.Press('1');
        var first = await call.ResultAsync(1);
        releaseStock.TrySetResult();
        var second = await call.ResultAsync(2);

        var requests = rig.Backend.Requests.ToArray();
        Assert.Equal(["/tools/stock_check", "/tools/order_status"], requests.Select(r => r.Path));
        Assert.Equal((requests[1].ToolUseId, """{"status":"shipped"}"""), (first.ToolUseId, first.Content));
        Assert.Equal((requests[0].ToolUseId, """{"inStock":12}"""), (second.ToolUseId, second.Content));
        Assert.All(requests, r => Assert.True(HttpToolsRig.SignedAsDocumented(r)));
    }

    [Fact]
    public async Task A_barge_in_aborts_a_pending_tools_request_and_the_model_is_told_the_caller_interrupted()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Backend.Answer = async context =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        await using var call = await rig.CallAsync();

        call.Press('4');
        await arrived.Task.WaitAsync(HttpToolsRig.Patience);
        // The caller says something; the model echoes it; the caller talks over the echo.
        call.Speaks(TimeSpan.FromSeconds(2));
        await HttpToolsRig.WaitForAsync(() => call.HeardFrames > 0, "the model's echo reaching the caller");
        call.Speaks(TimeSpan.FromSeconds(1));

        await aborted.Task.WaitAsync(HttpToolsRig.Patience);
        var result = await call.ResultAsync(1);
        Assert.Equal(Assert.Single(rig.Backend.Requests).ToolUseId, result.ToolUseId);
        Assert.Contains("\"status\":\"cancelled\"", result.Content, StringComparison.Ordinal);
        Assert.Contains("The caller interrupted before stock_check answered", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfer_goes_to_a_named_destination_and_an_unknown_name_is_refused_with_the_names()
    {
        await using var call = await rig.CallAsync();

        call.Press('6');
        var refused = await call.ResultAsync(1);
        Assert.Contains("sales", refused.Content, StringComparison.Ordinal);
        Assert.Contains("support", refused.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Worker.Twilio.Updates, u => u.CallSid == call.CallSid);

        call.Press('5');
        await call.ResultAsync(2);
        // Once the model's reply to the result has been heard, the call's TwiML becomes a Dial to that destination.
        var update = await rig.UpdateOfAsync(call.CallSid);
        Assert.Contains("<Dial", update.Form["Twiml"], StringComparison.Ordinal);
        Assert.Contains("+15005550001", update.Form["Twiml"], StringComparison.Ordinal);
        Assert.DoesNotContain("sip:", update.Form["Twiml"], StringComparison.Ordinal);
    }
}

/// <summary>
/// One worker (Development, so a tool may use http to this machine) whose agents document names the backend's tools,
/// and an emulator whose key triggers call them: 1 order_status for 1042, 2 order_status with a bad order number,
/// 3 slow_lookup (which times out), 4 stock_check, 5 transfer_call to sales, 6 transfer_call to an unknown name.
/// </summary>
public sealed class HttpToolsRig : IAsyncLifetime
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string Secret = ToolBackend.Secret;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "bridge-tools-e2e-" + Guid.NewGuid().ToString("N"));

    public ToolBackend Backend { get; private set; } = null!;

    public InProcessMediaWorker Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backend = await ToolBackend.StartAsync();
        Directory.CreateDirectory(_folder);
        var document = Path.Combine(_folder, "agents.json");
        await File.WriteAllTextAsync(document, Document(Backend.BaseAddress));
        Worker = await InProcessMediaWorker.StartAsync(emulator =>
        {
            emulator.Mode = EmulatorMode.Echo;
            // The model speaks in real time, so a caller who talks once it is heard talks over it.
            emulator.OutputSpeed = 1;
            emulator.ToolTriggers =
            [
                new ToolTrigger { Contains = "pressed 1", ToolName = "order_status", Input = """{"orderNumber":"1042"}""" },
                new ToolTrigger { Contains = "pressed 2", ToolName = "order_status", Input = """{"orderNumber":"ten forty-two"}""" },
                new ToolTrigger { Contains = "pressed 3", ToolName = "slow_lookup", Input = """{"query":"anything"}""" },
                new ToolTrigger { Contains = "pressed 4", ToolName = "stock_check", Input = """{"sku":"A-1"}""" },
                new ToolTrigger { Contains = "pressed 5", ToolName = "transfer_call", Input = """{"destination":"sales"}""" },
                new ToolTrigger { Contains = "pressed 6", ToolName = "transfer_call", Input = """{"destination":"accounts"}""" },
            ];
        }, new Dictionary<string, string?>
        {
            ["Agents:Source"] = "file:" + document,
            ["HttpTools:order_status:Secret"] = Secret,
            ["HttpTools:slow_lookup:Secret"] = Secret,
            ["HttpTools:stock_check:Secret"] = Secret,
        }, environment: "Development");
    }

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Backend.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A new call, streaming the caller's (silent) line in real time, once the model hears it.</summary>
    public async Task<ToolsCall> CallAsync()
    {
        while (Backend.Requests.TryDequeue(out _))
        {
        }
        var before = Worker.Emulator.Prompts.All.Count;
        var call = await ToolsCall.StartAsync(Worker.Streams, Patience);
        await WaitForAsync(() => Worker.Emulator.Prompts.All.Count > before && Worker.Emulator.Prompts.All[before].AudioBytesReceived > 0, "the model hearing the call");
        call.Prompt = Worker.Emulator.Prompts.All[before];
        return call;
    }

    public async Task<FakeTwilioApi.CallUpdate> UpdateOfAsync(string callSid)
    {
        await WaitForAsync(() => Worker.Twilio.Updates.Any(u => u.CallSid == callSid), "the transfer through Twilio's REST API");
        return Worker.Twilio.Updates.Single(u => u.CallSid == callSid);
    }

    /// <summary>The check docs/agents.md gives a backend, written out here rather than calling the bridge's own signer.</summary>
    public static bool SignedAsDocumented(ReceivedRequest request)
    {
        if (!long.TryParse(request.Timestamp, out var seconds) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300 ||
            !request.Signature.StartsWith("v1=", StringComparison.Ordinal))
        {
            return false;
        }
        var signed = Encoding.UTF8.GetBytes(request.Timestamp + ".").Concat(request.RawBody).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(request.Signature[3..]));
    }

    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!condition())
        {
            Assert.False(patience.IsCancellationRequested, "did not happen: " + what);
            await Task.Delay(10);
        }
    }

    private static string Document(Uri backend) => $$"""
        {
          "agents": [
            { "name": "desk", "default": true, "tools": ["order_status", "slow_lookup", "stock_check", "transfer_call"],
              "transferDestinations": { "sales": "+15005550001", "support": "sip:desk@pbx.example.com" } }
          ],
          "tools": {
            "order_status": {
              "description": "Looks up an order by its number.",
              "inputSchema": { "type": "object", "properties": { "orderNumber": { "type": "string", "pattern": "^[0-9]{4}$" } }, "required": ["orderNumber"] },
              "url": "{{new Uri(backend, "/tools/order_status")}}",
              "timeout": "00:00:20"
            },
            "slow_lookup": {
              "description": "A lookup whose backend never answers in time.",
              "inputSchema": { "type": "object", "properties": { "query": { "type": "string" } } },
              "url": "{{new Uri(backend, "/tools/slow_lookup")}}",
              "timeout": "00:00:00.500"
            },
            "stock_check": {
              "description": "Checks the stock of an item.",
              "inputSchema": { "type": "object", "properties": { "sku": { "type": "string" } }, "required": ["sku"] },
              "url": "{{new Uri(backend, "/tools/stock_check")}}",
              "timeout": "00:00:20"
            }
          }
        }
        """;
}

/// <summary>One call of <see cref="HttpToolsRig"/>: its caller's keypad and voice, what it heard, and what the model received.</summary>
public sealed class ToolsCall : IAsyncDisposable, IHeardAudioSink
{
    private readonly CancellationTokenSource _hangUp = new();
    private readonly CallerKeypad _keypad = new();
    private readonly LiveCaller _voice;
    private long _heardFrames;
    private Task<MediaStreamResult> _running = null!;

    private ToolsCall(string callSid, TimeSpan length)
    {
        CallSid = callSid;
        _voice = new LiveCaller(length);
    }

    public string CallSid { get; }

    /// <summary>What this call's model stream received.</summary>
    public ReceivedPrompt Prompt { get; internal set; } = null!;

    internal static async Task<ToolsCall> StartAsync(DirectStream streams, TimeSpan maxDuration)
    {
        var start = streams.NewStart();
        var socket = await streams.ConnectAsync(CancellationToken.None);
        var call = new ToolsCall(start.CallSid, maxDuration);
        var session = new MediaStreamSession(socket, start, new MediaStreamOptions
        {
            Audio = call._voice,
            Keypad = call._keypad,
            Listener = call,
            MaxDuration = maxDuration,
            RecordHeardAudio = false,
        }, TimeProvider.System, NullLogger.Instance);
        call._running = RunAsync(session, socket, call._hangUp.Token);
        return call;
    }

    public void Press(char key) => Assert.True(_keypad.Press(key));

    /// <summary>The caller speaks (a tone) for <paramref name="duration"/> from the next frame on.</summary>
    public void Speaks(TimeSpan duration) => _voice.Speaks(duration);

    /// <summary>Frames the caller has heard with audio from the bridge in them.</summary>
    public long HeardFrames => Interlocked.Read(ref _heardFrames);

    void IHeardAudioSink.Played(long tick, ReadOnlySpan<byte> frame, int playedBytes)
    {
        if (playedBytes > 0)
        {
            Interlocked.Increment(ref _heardFrames);
        }
    }

    /// <summary>The <paramref name="count"/>th tool result the model received, once it has.</summary>
    public async Task<ReceivedToolResult> ResultAsync(int count)
    {
        await HttpToolsRig.WaitForAsync(() => Prompt.ToolResults.Count >= count, $"tool result {count} reaching the model");
        return Prompt.ToolResults[count - 1];
    }

    public async ValueTask DisposeAsync()
    {
        await _hangUp.CancelAsync();
        await _running.WaitAsync(HttpToolsRig.Patience);
        _hangUp.Dispose();
    }

    private static async Task<MediaStreamResult> RunAsync(
        MediaStreamSession session, System.Net.WebSockets.ClientWebSocket socket, CancellationToken hangUp)
    {
        using (socket)
        {
            return await session.RunAsync(hangUp);
        }
    }
}

/// <summary>A caller who is silent until the test makes them speak (a tone, loud enough to be speech).</summary>
internal sealed class LiveCaller(TimeSpan length) : CallerAudio
{
    private const byte SilenceByte = 0xFF;
    private static readonly byte[] ToneFrames = Bridge.Tests.MediaWorker.Calls.Tone.Speech(TimeSpan.FromSeconds(1));
    private long _lastFrame = -1;
    private long _speechFrom = long.MaxValue;
    private long _speechUntil = long.MaxValue;

    public override TimeSpan Duration => length;

    // The caller never stops on their own: the test hangs up.
    public override TimeSpan SpeechEnd => length;

    public void Speaks(TimeSpan duration)
    {
        var from = Interlocked.Read(ref _lastFrame) + 1;
        Interlocked.Exchange(ref _speechUntil, from + (long)(duration.TotalMilliseconds / 20));
        Interlocked.Exchange(ref _speechFrom, from);
    }

    public override void ReadFrame(long index, Span<byte> frame)
    {
        Interlocked.Exchange(ref _lastFrame, index);
        if (index >= Interlocked.Read(ref _speechFrom) && index < Interlocked.Read(ref _speechUntil))
        {
            var offset = (int)(index * FrameBytes % ToneFrames.Length);
            ToneFrames.AsSpan(offset, FrameBytes).CopyTo(frame);
            return;
        }
        frame.Fill(SilenceByte);
    }
}
