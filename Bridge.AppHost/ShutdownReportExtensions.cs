using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bridge.AppHost;

/// <summary>
/// Ctrl-C on a local run says what it stops and returns when it has (measured in <see cref="LocalServiceExtensions"/>).
/// </summary>
internal static partial class ShutdownReportExtensions
{
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

    private sealed partial class ShutdownReport(DistributedApplicationModel model, ILoggerFactory loggers, TimeProvider time) : IHostedLifecycleService
    {
        private readonly ILogger _logger = loggers.CreateLogger("Bridge.AppHost");
        private long _stoppingSince;
        private int _stopped;

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                return Task.CompletedTask;
            }
            _stoppingSince = time.GetTimestamp();
            var resources = model.Resources.OfType<ProjectResource>().Select(r => r.Name);
            LogStopping(string.Join(", ", resources));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken)
        {
            // The host may be stopped twice (StopAsync, then disposal): report the stop that did the work.
            if (Interlocked.Exchange(ref _stopped, 1) != 0)
            {
                return Task.CompletedTask;
            }
            LogStopped(time.GetElapsedTime(_stoppingSince).TotalSeconds);
            return Task.CompletedTask;
        }

        [LoggerMessage(Level = LogLevel.Information, Message = "Stopping {Resources} and the dashboard...")]
        private partial void LogStopping(string resources);

        [LoggerMessage(Level = LogLevel.Information, Message = "Stopped in {Seconds:0.0} s.")]
        private partial void LogStopped(double seconds);
    }
}
