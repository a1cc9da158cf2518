using Bridge.Tests.Support;

namespace Bridge.Tests.Agents;

/// <summary>A bad profile stops each service, as a real process, with one line per problem and exit code 2.</summary>
public sealed class ProfileConfigurationTests : IDisposable
{
    private const string GoodToken = "f1e2d3c4b5a697887766554433221100";
    private readonly ProfileDocuments _documents = new();

    public void Dispose() => _documents.Dispose();

    private static Dictionary<string, string> Environment(string source) => new()
    {
        ["Twilio__AuthToken"] = GoodToken,
        ["Bedrock__Region"] = "us-east-1",
        ["Agents__Source"] = source,
    };

    [Theory]
    [InlineData("Bridge.Api")]
    [InlineData("Bridge.MediaWorker")]
    public async Task A_bad_profile_stops_the_service_with_one_line_per_problem(string service)
    {
        var path = _documents.Write("""
            { "agents": [
                { "name": "front-desk", "default": true, "voice": "hal9000" },
                { "name": "sales", "numbers": ["+15005550006"], "systemPrompt": "Hi {{weather}}" } ] }
            """);

        var exit = await ServiceProcess.RunUntilExitAsync(service, Environment("file:" + path), TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit.Code);
        var lines = exit.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("Configuration error: ", StringComparison.Ordinal) && l.Contains("agent 'front-desk', voice:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Configuration error: ", StringComparison.Ordinal) && l.Contains("agent 'sales', systemPrompt: unknown variable {{weather}}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_worker_refuses_to_start_without_the_secret_of_each_http_tool()
    {
        var path = _documents.Write(ProfileDocuments.Valid);

        var exit = await ServiceProcess.RunUntilExitAsync("Bridge.MediaWorker", Environment("file:" + path), TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit.Code);
        var line = Assert.Single(exit.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration error: HttpTools:order_status:Secret is required", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:no-such-agents.json", "Agents:Source file:no-such-agents.json: there is no file")]
    [InlineData("agents.json", "Agents:Source 'agents.json' must be file:<path>, ssm:<parameter name> or s3://<bucket>/<key>")]
    public async Task An_unreadable_source_stops_the_service_with_one_line_naming_it(string source, string expected)
    {
        var exit = await ServiceProcess.RunUntilExitAsync("Bridge.Api", Environment(source), TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit.Code);
        var line = Assert.Single(exit.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration error: " + expected, line, StringComparison.Ordinal);
    }
}
