using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// Keeps each resource's console output in a file (bridge-e2e-&lt;resource&gt;.log in the temp folder), so that a
/// failed end-to-end test can be understood from the services' own logs.
/// </summary>
public static class ResourceLogs
{
    public static string PathOf(string resource) => Path.Combine(Path.GetTempPath(), $"bridge-e2e-{resource}.log");

    public static void WriteToFiles(DistributedApplication app, IEnumerable<string> resources, CancellationToken stopping)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var name in resources)
        {
            var resource = model.Resources.Single(r => r.Name == name);
            _ = Task.Run(async () =>
            {
                await using var file = new StreamWriter(PathOf(name), append: false) { AutoFlush = true };
                try
                {
                    await foreach (var batch in logs.WatchAsync(resource).WithCancellation(stopping))
                    {
                        foreach (var line in batch)
                        {
                            await file.WriteLineAsync(line.Content);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>The first line of <paramref name="resource"/>'s output containing <paramref name="text"/>, waiting up to a minute for it.</summary>
    public static async Task<string> LineAsync(string resource, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var path = PathOf(resource);
            if (File.Exists(path))
            {
                using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var lines = (await reader.ReadToEndAsync(timeout.Token)).Split('\n');
                if (lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }
            }
            await Task.Delay(100, timeout.Token);
        }
    }
}
