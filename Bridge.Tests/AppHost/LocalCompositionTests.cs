using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Bridge.Tests.AppHost;

/// <summary>
/// What a local AppHost offers for calling in. Without a public URL the softphone and the dashboard's test call reach
/// the worker through the REST API they serve; behind one the worker confirms every stream with the real Twilio, which
/// would refuse their made-up calls, so neither is offered.
/// </summary>
public sealed class LocalCompositionTests
{
    [Fact]
    public async Task A_local_run_offers_the_softphone_and_the_test_call()
    {
        var resources = await ComposeAsync();

        Assert.Contains(resources, r => r.Name == "softphone");
        Assert.Contains(Commands(resources, "api"), c => c.Name == "place-test-call");
    }

    [Fact]
    public async Task Behind_a_public_url_neither_the_softphone_nor_the_test_call_is_offered()
    {
        var resources = await ComposeAsync("--Parameters:public-base-url=https://bridge.example.test");

        Assert.DoesNotContain(resources, r => r.Name == "softphone");
        Assert.DoesNotContain(Commands(resources, "api"), c => c.Name == "place-test-call");
        // The rest of the local system is still there.
        Assert.Contains(resources, r => r.Name == "media-worker");
        Assert.Contains(resources, r => r.Name == "sample-tool-backend");
    }

    private static async Task<IReadOnlyList<IResource>> ComposeAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Bridge_AppHost>(args, timeout.Token);
        await using (builder)
        {
            return [.. builder.Resources];
        }
    }

    private static IEnumerable<ResourceCommandAnnotation> Commands(IEnumerable<IResource> resources, string name) =>
        resources.Single(r => r.Name == name).Annotations.OfType<ResourceCommandAnnotation>();
}
