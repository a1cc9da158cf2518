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
}
