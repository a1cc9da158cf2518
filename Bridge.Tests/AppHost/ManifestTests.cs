using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Bridge.Tests.Support;

namespace Bridge.Tests.AppHost;

/// <summary>
/// The committed aspire-manifest.json is what the AppHost publishes; deployment is translated from it.
/// Regenerate with: BRIDGE_UPDATE_MANIFEST=1 dotnet test --filter "FullyQualifiedName~ManifestTests"
/// (or dotnet run --project Bridge.AppHost -- --publisher manifest --output-path ../aspire-manifest.json).
/// </summary>
public sealed class ManifestTests
{
    [Fact]
    public async Task The_committed_manifest_is_what_the_AppHost_publishes()
    {
        var committed = Path.Combine(RepositoryRoot.Path, "aspire-manifest.json");
        // Beside the committed file: the manifest's project paths are relative to the folder it is written to.
        var published = Path.Combine(RepositoryRoot.Path, $"aspire-manifest.{Guid.NewGuid():N}.tmp.json");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Bridge_AppHost>(
                ["--operation", "publish", "--publisher", "manifest", "--output-path", published],
                timeout.Token);
            await using (var app = await builder.BuildAsync(timeout.Token))
            {
                await app.RunAsync(timeout.Token);
            }

            var fresh = Normalize(await File.ReadAllTextAsync(published));
            if (Environment.GetEnvironmentVariable("BRIDGE_UPDATE_MANIFEST") == "1" && Environment.GetEnvironmentVariable("CI") is null)
            {
                await File.WriteAllTextAsync(committed, fresh);
            }
            Assert.True(
                fresh == Normalize(await File.ReadAllTextAsync(committed)),
                "aspire-manifest.json is stale: regenerate it with BRIDGE_UPDATE_MANIFEST=1 dotnet test --filter \"FullyQualifiedName~ManifestTests\" and commit it.");
        }
        finally
        {
            File.Delete(published);
        }
    }

    private static string Normalize(string json) => json.Replace("\r\n", "\n").TrimEnd() + "\n";
}
