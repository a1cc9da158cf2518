using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Bridge.Emulator;

namespace Bridge.Tests.Support;

/// <summary>
/// The media worker as a real process (<c>dotnet Bridge.MediaWorker.dll</c>, as ECS runs it), pointed at an
/// emulator and at a fake of Twilio's REST API (which confirms its calls), so that it can be sent a real SIGTERM.
/// Its console output is kept with the time each line arrived.
/// </summary>
public sealed partial class WorkerProcess : IAsyncDisposable
{
    public const string AuthToken = InProcessMediaWorker.AuthToken;

    private readonly Process _process;
    private readonly ConcurrentQueue<(long At, string Line)> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeTwilioApi? _twilio;

    private WorkerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public Uri BaseAddress { get; private set; } = null!;

    public DirectStream Streams { get; private set; } = null!;

    public IEnumerable<(long At, string Line)> Output => _output;

    /// <summary>Starts the worker with the emulator as its Bedrock and waits until it is ready.</summary>
    public static async Task<WorkerProcess> StartAsync(EmulatorServer emulator, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var twilio = await FakeTwilioApi.StartAsync();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Bridge.MediaWorker.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__LogLevel__Bridge.MediaWorker.Calls.CallRegistry"] = "Information",
            ["Twilio__AuthToken"] = AuthToken,
            ["Twilio__AccountSid"] = DirectStream.AccountSid,
            ["Twilio__Rest__BaseAddress"] = twilio.BaseAddress.ToString(),
            ["Bridge__PublicBaseUrl"] = InProcessMediaWorker.PublicBaseUrl,
            ["Bedrock__Region"] = EmulatorDefaults.Region,
            ["Bedrock__Endpoint"] = emulator.BaseAddress.ToString(),
            ["AWS_ACCESS_KEY_ID"] = EmulatorDefaults.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = EmulatorDefaults.SecretAccessKey,
            ["Calls__MaxConcurrent"] = "500",
            ["RateLimits__MediaStreams__PermitsPerSecond"] = "10000",
            ["RateLimits__MediaStreams__Burst"] = "100000",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var worker = new WorkerProcess(Process.Start(start)!) { _twilio = twilio };
        worker.Collect(worker._process.StandardOutput);
        worker.Collect(worker._process.StandardError);
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            worker.BaseAddress = await worker._listening.Task.WaitAsync(cancel.Token);
            worker.Streams = new DirectStream(new Uri($"ws://{worker.BaseAddress.Authority}/media"), AuthToken,
                InProcessMediaWorker.PublicBaseUrl.Replace("https://", "wss://", StringComparison.Ordinal) + "/media");
            while (await worker.ReadinessAsync(cancel.Token) != HttpStatusCode.OK)
            {
                await Task.Delay(100, cancel.Token);
            }
            return worker;
        }
        catch (OperationCanceledException)
        {
            await worker.DisposeAsync();
            throw new TimeoutException($"The worker was not ready within {timeout}:\n{string.Join('\n', worker._output.Select(o => o.Line))}");
        }
    }

    public async Task<HttpStatusCode?> ReadinessAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync(new Uri(BaseAddress, "/health/readiness"), cancellationToken)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>What ECS does to stop a task: SIGTERM to the process (then SIGKILL after stopTimeout).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The exit code, or null if the process is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_twilio is not null)
        {
            await _twilio.DisposeAsync();
        }
    }

    private void Collect(StreamReader reader) => _ = Task.Run(async () =>
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            _output.Enqueue((Stopwatch.GetTimestamp(), line));
            if (ListeningOn().Match(line) is { Success: true } match)
            {
                _listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
    });

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
