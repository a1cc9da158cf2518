using Bridge.Emulator;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>Starts an emulator with test-friendly options (fast pacing, short durations) and disposes it.</summary>
internal static class TestEmulator
{
    public static EmulatorOptions FastOptions(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            Port = 0,
            OutputSpeed = 20,
            SpokenTextDuration = TimeSpan.FromMilliseconds(400),
            EndOfUtteranceSilence = TimeSpan.FromMilliseconds(300),
        };
        configure?.Invoke(options);
        return options;
    }

    public static Task<EmulatorServer> StartAsync(Action<EmulatorOptions>? configure = null) =>
        Environment.GetEnvironmentVariable("EMULATOR_TEST_LOG") is { } path
            ? EmulatorServer.StartAsync(FastOptions(configure), TimeProvider.System, l => l.AddProvider(new FileLogger(path)).SetMinimumLevel(LogLevel.Trace).AddFilter("Microsoft.AspNetCore", LogLevel.Trace))
            : EmulatorServer.StartAsync(FastOptions(configure));

    /// <summary>Set EMULATOR_TEST_LOG to a file path to see what the emulators in the tests did.</summary>
    private sealed class FileLogger(string path) : ILoggerProvider
    {
        private static readonly Lock Gate = new();

        public ILogger CreateLogger(string categoryName) => new Logger(path, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(string path, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (Gate)
                {
                    File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category} {formatter(state, exception)} {exception?.GetType().Name}\n");
                }
            }
        }
    }
}
