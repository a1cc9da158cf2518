using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Support;

/// <summary>A logger provider whose loggers all record into one <see cref="RecordingLogger"/>.</summary>
public sealed class RecordingLoggerProvider(LogLevel minimum = LogLevel.Trace) : ILoggerProvider
{
    private readonly RecordingLogger _logger = new(minimum);

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => _logger.Entries;

    public ILogger CreateLogger(string categoryName) => _logger;

    public void Dispose()
    {
    }
}
