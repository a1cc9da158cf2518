namespace Bridge.MediaWorker.Calls;

/// <summary>On SIGTERM (host stopping), drains the call registry before the server stops.</summary>
public sealed class CallDrainService(CallRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => registry.DrainAsync(cancellationToken);
}
