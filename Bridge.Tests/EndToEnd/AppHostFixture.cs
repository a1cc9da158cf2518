using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// The real AppHost, started once for the end-to-end tests, with the api, the media worker and the Nova Sonic
/// emulator healthy. Settings made for testing: a small call limit, a short model session limit (and an earlier
/// renewal) so long calls happen in seconds, and Twilio's REST API served by a local fake.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public const string AuthToken = "e2e0a1b2c3d4e5f60718293a4b5c6d7e";

    /// <summary>The account the worker serves: the simulator's own, which simulated calls are placed as.</summary>
    public const string AccountSid = Bridge.TwilioStandIn.Calls.CallSimulationOptions.DefaultAccountSid;
    public const int MaxConcurrentCalls = 4;
    public const string TransferTarget = "+15005550001";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly CancellationTokenSource _stopping = new();
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public FakeTwilioApi TwilioApi { get; private set; } = null!;

    /// <summary>The voice webhook as Twilio would call it.</summary>
    public Uri WebhookUrl => new(App.GetEndpoint("api", "http"), "/webhook");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        TwilioApi = await FakeTwilioApi.StartAsync(AccountSid);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Bridge_AppHost>(
            [
                $"--Parameters:twilio-auth-token={AuthToken}",
                // The account the simulated calls are placed as; the worker refuses streams of any other.
                $"--Parameters:twilio-account-sid={AccountSid}",
                // The dashboard command serves Twilio's REST API for its call on a free port (the worker asks the fake below).
                "--CallSimulator:RestApi=http://127.0.0.1:0",
                "--Bedrock:UseEmulator=true",
                "--Emulator:SessionLimit=00:00:12",
            ],
            timeout.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.CreateResourceBuilder<ProjectResource>("media-worker")
            .WithEnvironment("Twilio__Rest__BaseAddress", TwilioApi.BaseAddress.ToString())
            .WithEnvironment("Calls__MaxConcurrent", MaxConcurrentCalls.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Calls__TransferTarget", TransferTarget)
            .WithEnvironment("Conversation__RenewStreamAfter", "00:00:03")
            .WithEnvironment("Conversation__RenewalQuietWait", "00:00:06");
        // The softphone serves Twilio's REST API on an ephemeral port here, not the fixed local one.
        builder.CreateResourceBuilder<ProjectResource>("softphone")
            .WithEnvironment("Softphone__RestApi", "http://127.0.0.1:0");

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
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
