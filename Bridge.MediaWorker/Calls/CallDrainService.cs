namespace Bridge.MediaWorker.Calls;

/// <summary>
/// On SIGTERM (host stopping), drains the call registry while the server still serves: in <see cref="StoppingAsync"/>,
/// which the host runs before stopping any service. Draining in StopAsync came too late: the web server is stopped
/// first (it is registered last), so it stopped listening at once — readiness refused instead of answering 503, new
/// calls were refused without a status — and its own graceful wait, not Calls:DrainTimeout, decided how long calls had.
/// </summary>
public sealed class CallDrainService(CallRegistry registry) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => registry.DrainAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
