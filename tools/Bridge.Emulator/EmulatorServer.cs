using Bridge.Emulator.Faults;
using Bridge.Emulator.Hosting;
using Bridge.Emulator.Nova;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Emulator;

/// <summary>
/// The emulator started in-process, for tests: <c>await using var emulator = await EmulatorServer.StartAsync(new() { Port = 0 });</c>
/// then point a Bedrock client at <see cref="BaseAddress"/> with <see cref="EmulatorDefaults"/>' credentials.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private EmulatorServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Options = app.Services.GetRequiredService<EmulatorOptions>();
        Counters = app.Services.GetRequiredService<EmulatorCounters>();
        Faults = app.Services.GetRequiredService<FaultInjector>();
        Prompts = app.Services.GetRequiredService<ReceivedPrompts>();
    }

    /// <summary>http://127.0.0.1:{port}/ (or https:// with a certificate).</summary>
    public Uri BaseAddress { get; }

    public EmulatorOptions Options { get; }

    /// <summary>Live counts (open streams, streams opened, frames, errors); still readable after disposal.</summary>
    public EmulatorCounters Counters { get; }

    /// <summary>Queue faults for the next streams to open (when the client cannot send the x-emulator-fault header).</summary>
    public FaultInjector Faults { get; }

    /// <summary>What each stream sent before and while the model spoke: sessionStart, promptStart (tools, voice), system texts.</summary>
    public ReceivedPrompts Prompts { get; }

    /// <summary>The stream URI of a model, with its id escaped as the AWS SDKs send it.</summary>
    public Uri StreamUri(string modelId = ModelIds.NovaSonic2) =>
        new(BaseAddress, $"model/{Uri.EscapeDataString(modelId)}/invoke-with-bidirectional-stream");

    public static Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, TimeProvider.System, configureLogging: null, cancellationToken);

    /// <param name="time">The emulator's clock (signature skew, pacing, session limit, timed faults).</param>
    /// <param name="configureLogging">Logging setup; by default only warnings go to the console.</param>
    public static async Task<EmulatorServer> StartAsync(
        EmulatorOptions options, TimeProvider time, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }
        else
        {
            configureLogging(builder.Logging);
        }

        builder.Services.AddEmulator(options, time);
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenForEmulator(options));
        var app = builder.Build();
        app.MapEmulator();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
