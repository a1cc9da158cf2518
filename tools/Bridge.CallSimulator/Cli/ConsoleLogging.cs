using Microsoft.Extensions.Logging;

namespace Bridge.CallSimulator.Cli;

/// <summary>One line per event on stderr, with the time, so the summary on stdout stays clean.</summary>
public static class ConsoleLogging
{
    public static ILoggerFactory Create(bool verbose, LogLevel level = LogLevel.Information) =>
        LoggerFactory.Create(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Debug : level)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
}
