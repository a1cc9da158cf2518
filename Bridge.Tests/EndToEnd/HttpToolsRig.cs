using System.Security.Cryptography;
using System.Text;
using Bridge.Emulator;
using Bridge.Tests.HttpTools;
using Bridge.Tests.Support;

namespace Bridge.Tests.EndToEnd;

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
