using Microsoft.Extensions.Logging.Testing;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Outbound;
using Bridge.TwilioStandIn.Twilio;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// The real AppHost, started once for the end-to-end tests, with the api, the media worker and the Nova Sonic
/// emulator healthy. Settings made for testing: a small call limit, a short model session limit (and an earlier
/// renewal) so long calls happen in seconds, and Twilio's REST API served by the call simulator's stand-in on a free
/// port (a local AppHost points the worker at the fixed one), where the worker confirms, ends and transfers the calls
/// placed as <see cref="AccountSid"/>. The transfer target is the AppHost's local default.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public const string AuthToken = "e2e0a1b2c3d4e5f60718293a4b5c6d7e";

    /// <summary>The account the worker serves: the simulator's own, which simulated calls are placed as.</summary>
    public const string AccountSid = Bridge.TwilioStandIn.Calls.CallSimulationOptions.DefaultAccountSid;
    public const int MaxConcurrentCalls = 4;

    /// <summary>The api's outbound API key (<c>Outbound:ApiKeys:local</c>) and the secret its callbacks are signed with.</summary>
    public const string OutboundApiKey = "e2e-outbound-key-0123456789abcdefghijklmnop";
    public const string OutboundCallbackSecret = "e2e-callback-secret-0123456789abcdefghijkl";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly CancellationTokenSource _stopping = new();
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>The simulated calls in progress, which the worker's hang-ups and transfers reach through <see cref="TwilioApi"/>.</summary>
    public LiveCalls LiveCalls { get; } = new();

    public TwilioCallsApi TwilioApi { get; private set; } = null!;

    /// <summary>Places the outbound calls the api creates through <see cref="TwilioApi"/>, answering as the number says.</summary>
    public OutboundCalls Outbound { get; private set; } = null!;

    private readonly HttpClient _outboundHttp = new() { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>Where the resources (and the AppHost's test calls) export their telemetry, in place of the dashboard's OTLP endpoint.</summary>
    public OtlpTraceReceiver Telemetry { get; private set; } = null!;

    /// <summary>The warnings and errors the AppHost itself logged.</summary>
    public FakeLoggerProvider AppHostLogs { get; } = new();

    /// <summary>The voice webhook as Twilio would call it.</summary>
    public Uri WebhookUrl => new(App.GetEndpoint("api", "http"), "/webhook");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        Outbound = new OutboundCalls(AccountSid, AuthToken, _outboundHttp, LiveCalls, TimeProvider.System, NullLogger<CallSimulation>.Instance);
        TwilioApi = await TwilioCallsApi.StartAsync(new Uri("http://127.0.0.1:0"), LiveCalls, timeout.Token, Outbound);
        Telemetry = await OtlpTraceReceiver.StartAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Bridge_AppHost>(
            [
                $"--Parameters:twilio-auth-token={AuthToken}",
                // The account the simulated calls are placed as; the worker refuses streams of any other.
                $"--Parameters:twilio-account-sid={AccountSid}",
                // The worker, the dashboard command and the softphone use the simulator's REST API below (the command and
                // the softphone share it: they serve their calls beside it and announce them to it).
                $"--CallSimulator:RestApi={TwilioApi.BaseAddress}",
                $"--Parameters:outbound-api-key={OutboundApiKey}",
                $"--Parameters:outbound-callback-secret={OutboundCallbackSecret}",
                "--Bedrock:UseEmulator=true",
                "--Emulator:SessionLimit=00:00:12",
                $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={Telemetry.Endpoint}",
                // The resources' output goes to files (ResourceLogs); the AppHost's appsettings would print it all.
                "--Logging:LogLevel:Default=Warning",
            ],
            timeout.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(AppHostLogs));
        builder.CreateResourceBuilder<ProjectResource>("media-worker")
            .WithEnvironment("Twilio__Rest__BaseAddress", TwilioApi.BaseAddress.ToString())
            .WithEnvironment("Calls__MaxConcurrent", MaxConcurrentCalls.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Conversation__RenewStreamAfter", "00:00:03")
            .WithEnvironment("Conversation__RenewalQuietWait", "00:00:06");

        // A call nobody answers rings this long before Twilio (here the stand-in) reports no-answer.
        builder.CreateResourceBuilder<ProjectResource>("api").WithEnvironment("Outbound__RingTimeout", "00:00:05");

        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        ResourceLogs.WriteToFiles(_app, ["api", "media-worker", "nova-emulator", "softphone", "sample-tool-backend"], _stopping.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("media-worker", timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await TwilioApi.DisposeAsync();
        await Outbound.DisposeAsync();
        _outboundHttp.Dispose();
        await Telemetry.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
