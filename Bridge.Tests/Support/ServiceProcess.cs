using System.Diagnostics;

namespace Bridge.Tests.Support;

/// <summary>Runs one of the services as a real process, the way a user or ECS starts it.</summary>
public static class ServiceProcess
{
    public sealed record Exit(int Code, string StandardError, string StandardOutput);

    /// <summary>Starts <paramref name="assembly"/> (e.g. "Bridge.Api") with the given environment and arguments and waits for it to exit.</summary>
    public static async Task<Exit> RunUntilExitAsync(string assembly, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly + ".dll"), .. arguments])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{assembly} did not exit within {timeout}.");
        }
        return new Exit(process.ExitCode, await stderr, await stdout);
    }
}
