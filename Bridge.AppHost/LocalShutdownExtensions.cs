using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bridge.AppHost;

/// <summary>
/// What makes Ctrl-C stop a local run in a few seconds, and say so. Measured before (an idle system, scripted
/// Ctrl-C): the AppHost returned the prompt at once and left the stopping to the orchestrator (DCP), which stopped the
/// dashboard first; the api and the worker then spent 10 s each retrying their last telemetry export to the gone
/// dashboard (Aspire's <c>OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY=in_memory</c> retries until the exporter's 10 s
/// timeout) before they could exit, so their ports stayed taken for 13–30 s after the prompt came back.
/// </summary>
internal static partial class LocalShutdownExtensions
{
    private const string OtlpRetryVariable = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";

    /// <summary>
    /// Run locally, the service exports to the dashboard on this machine, which stops with it: no retry of failed
    /// exports, so that a service stopping after the dashboard does not wait 10 s to flush. A deployment keeps the retry.
    /// </summary>
    public static IResourceBuilder<T> WithoutLocalTelemetryRetry<T>(this IResourceBuilder<T> resource) where T : IResourceWithEnvironment =>
        resource.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? resource
            : resource.WithEnvironment(context => context.EnvironmentVariables.Remove(OtlpRetryVariable));

    /// <summary>
    /// On Ctrl-C, says what is being stopped, waits until the resources have stopped (<c>DcpPublisher:WaitForResourceCleanup</c>
    /// in appsettings.json: the prompt comes back when the ports are free) and says how long it took.
    /// </summary>
    public static IDistributedApplicationBuilder ReportShutdown(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode)
        {
            builder.Services.AddHostedService<ShutdownReport>();
        }
        return builder;
    }

    private sealed partial class ShutdownReport(DistributedApplicationModel model, ILogger<ShutdownReport> logger, TimeProvider time) : IHostedLifecycleService
    {
        private long _stoppingSince;

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken)
        {
            _stoppingSince = time.GetTimestamp();
            var resources = model.Resources.OfType<ProjectResource>().Select(r => r.Name);
            LogStopping(string.Join(", ", resources));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken)
        {
            LogStopped(time.GetElapsedTime(_stoppingSince).TotalSeconds);
            return Task.CompletedTask;
        }

        [LoggerMessage(Level = LogLevel.Information, Message = "Stopping {Resources} and the dashboard...")]
        private partial void LogStopping(string resources);

        [LoggerMessage(Level = LogLevel.Information, Message = "Stopped in {Seconds:0.0} s.")]
        private partial void LogStopped(double seconds);
    }
}
