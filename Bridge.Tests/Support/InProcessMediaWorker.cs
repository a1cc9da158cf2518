using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Amazon.Runtime;
using Bridge.Emulator;
using Bridge.MediaWorker;
using Bridge.MediaWorker.Calls;
using Bridge.Bedrock;
using Bridge.NovaSonic;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Support;

/// <summary>
/// The real media worker on real Kestrel (WebSockets over TCP) in this process, with the Nova Sonic emulator
/// in-process as its Bedrock: fast enough for thousands of streams, and its gauges readable with a
/// <see cref="WorkerGauges"/>. Settings are ordinary configuration keys, so new ones (rate limits, say) are one
/// line; services a test adds (an exporter, say) come after the worker's own.
/// </summary>
public sealed class InProcessMediaWorker : IAsyncDisposable
{
    public const string AuthToken = "fa17fa17fa17fa17fa17fa17fa17fa17";
    public const string PublicBaseUrl = "https://voice.example.com";

    private readonly Factory _factory;

    private InProcessMediaWorker(Factory factory, EmulatorServer emulator, FakeTwilioApi twilio, Uri baseAddress)
    {
        _factory = factory;
        Emulator = emulator;
        Twilio = twilio;
        BaseAddress = baseAddress;
        MediaUrl = new Uri($"ws://{baseAddress.Authority}/media");
        Streams = new DirectStream(MediaUrl, AuthToken, PublicBaseUrl.Replace("https://", "wss://", StringComparison.Ordinal) + "/media");
        Gauges = new WorkerGauges(factory.Services);
    }

    public EmulatorServer Emulator { get; }

    /// <summary>Twilio's REST API as the worker sees it: every call of <see cref="DirectStream.AccountSid"/> is in progress unless a test says otherwise.</summary>
    public FakeTwilioApi Twilio { get; }

    public Uri BaseAddress { get; }

    public Uri MediaUrl { get; }

    public DirectStream Streams { get; }

    public WorkerGauges Gauges { get; }

    public FakeLogCollector Logs => _factory.Logs.Collector;

    public IServiceProvider Services => _factory.Services;

    /// <summary>Collects <c>bridge.limits.reached</c> from now on: which limit ended a call or a connection, by its tag.</summary>
    public MetricCollector<long> LimitsReached() =>
        new(Services.GetRequiredService<IMeterFactory>(), CallTelemetry.MeterName, "bridge.limits.reached");

    /// <summary>
    /// Starts the emulator (loopback unless told otherwise), Twilio's REST API (a fake) and the worker, with
    /// test-friendly settings. Refusals of media streams are logged at Debug, and kept in <see cref="Logs"/>.
    /// </summary>
    public static async Task<InProcessMediaWorker> StartAsync(
        Action<EmulatorOptions>? emulator = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        string environment = "Production")
    {
        var emulatorOptions = new EmulatorOptions { Port = 0, Mode = EmulatorMode.Loopback };
        emulator?.Invoke(emulatorOptions);
        // Silent: thousands of streams would flood the test output; the worker's warnings are kept in Logs.
        var server = await EmulatorServer.StartAsync(emulatorOptions, TimeProvider.System, _ => { });
        var twilio = await FakeTwilioApi.StartAsync();

        var factory = new Factory(new Dictionary<string, string?>
        {
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:AccountSid"] = DirectStream.AccountSid,
            ["Twilio:Rest:BaseAddress"] = twilio.BaseAddress.ToString(),
            ["Bridge:PublicBaseUrl"] = PublicBaseUrl,
            ["Bedrock:Region"] = EmulatorDefaults.Region,
            ["Bedrock:Endpoint"] = server.BaseAddress.ToString(),
            ["Calls:MaxConcurrent"] = "2000",
            ["Twilio:MediaStream:StartTimeout"] = "00:00:02",
            // Every stream of these tests comes from 127.0.0.1: the per-client limit is raised far above the load.
            ["RateLimits:MediaStreams:PermitsPerSecond"] = "10000",
            ["RateLimits:MediaStreams:Burst"] = "100000",
            // So are the places for streams waiting for their start (each test's own limits are set where it tests them).
            ["Calls:PendingStreams:MaxTotal"] = "2000",
            ["Calls:PendingStreams:MaxPerAddress"] = "2000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Bridge.MediaWorker.Calls.CallHost"] = "Debug",
            ["Logging:LogLevel:Bridge.MediaWorker.Calls.CallLimits"] = "Information",
        }.Concat(settings ?? new Dictionary<string, string?>()).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value), services, environment);
        // Not UseKestrel(0): it rewrites the server's addresses after the app's own thread may have started Kestrel,
        // which throws when Kestrel wins that race (dotnet/aspnetcore#67714). The port is chosen through the app's URLs.
        factory.UseKestrel();
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal)))
            .First();
        return new InProcessMediaWorker(factory, server, twilio, address);
    }

    public async ValueTask DisposeAsync()
    {
        Gauges.Dispose();
        await _factory.DisposeAsync();
        await Emulator.DisposeAsync();
        await Twilio.DisposeAsync();
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? extraServices, string environment)
        : WebApplicationFactory<MediaWorkerEntryPoint>
    {
        public FakeLoggerProvider Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            builder.UseUrls("http://127.0.0.1:0");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs));
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<IBedrockCredentialSource>(new StaticCredentialSource(
                    new ImmutableCredentials(EmulatorDefaults.AccessKeyId, EmulatorDefaults.SecretAccessKey, null)));
                // Quick retries; a breaker that does not open: these tests fail streams on purpose, many at a time.
                services.AddSingleton(new NovaOpeningPolicy { FirstRetryDelay = TimeSpan.FromMilliseconds(50), BreakAfterAtLeast = int.MaxValue });
                extraServices?.Invoke(services);
            });
        }
    }
}
