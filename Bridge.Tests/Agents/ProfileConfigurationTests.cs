using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Tests.Support;

namespace Bridge.Tests.Agents;

/// <summary>A bad profile stops each service, as a real process, with one line per problem and exit code 2.</summary>
public sealed class ProfileConfigurationTests : IDisposable
{
    private const string GoodToken = "f1e2d3c4b5a697887766554433221100";
    private readonly ProfileDocuments _documents = new();

    public void Dispose() => _documents.Dispose();

    /// <summary>Otherwise good settings for these processes, which run in Production (a public URL and the account are required there).</summary>
    private static Dictionary<string, string> Environment(string source) => new()
    {
        ["Twilio__AuthToken"] = GoodToken,
        ["Twilio__AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["Bridge__PublicBaseUrl"] = "https://voice.example.com",
        ["Bedrock__Region"] = "us-east-1",
        ["Agents__Source"] = source,
    };

    /// <summary>Runs <paramref name="service"/> until it stops, which must be with exit code 2; the lines it wrote to stderr.</summary>
    private static async Task<string[]> RefusedLinesAsync(string service, Dictionary<string, string> environment)
    {
        var exit = await ServiceProcess.RunUntilExitAsync(service, environment, TimeSpan.FromSeconds(60));
        Assert.True(exit.Code == 2, $"exit code {exit.Code}:\n{exit.StandardError}");
        return exit.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

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

        var lines = await RefusedLinesAsync(service, Environment("file:" + path));
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("Configuration error: ", StringComparison.Ordinal) && l.Contains("agent 'front-desk', voice:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Configuration error: ", StringComparison.Ordinal) && l.Contains("agent 'sales', systemPrompt: unknown variable {{weather}}", StringComparison.Ordinal));
    }

    /// <summary>
    /// The sample document with its HTTP tool's URL broken: the tool is the one fault, so it is the one line. The agent
    /// that uses the tool is not also told the tool does not exist (it does; it is invalid).
    /// </summary>
    [Theory]
    [InlineData("Bridge.Api")]
    [InlineData("Bridge.MediaWorker")]
    public async Task A_bad_tool_in_the_sample_stops_the_service_with_one_line_naming_the_tool_and_the_field(string service)
    {
        var sample = JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepositoryRoot.Path, "samples", "agents.sample.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        Assert.Contains(sample["agents"]!.AsArray(), agent => agent!["tools"]!.AsArray().Any(tool => (string?)tool == "order_status"));
        sample["tools"]!["order_status"]!["url"] = "not a url";
        var path = _documents.Write(sample.ToJsonString());

        var line = Assert.Single(await RefusedLinesAsync(service, Environment("file:" + path)));
        Assert.Equal($"Configuration error: file:{path}: tool 'order_status', url: 'not a url' is not an absolute http(s) URL", line);
    }

    [Fact]
    public async Task The_worker_refuses_to_start_without_the_secret_of_each_http_tool()
    {
        var path = _documents.Write(ProfileDocuments.Valid);

        var line = Assert.Single(await RefusedLinesAsync("Bridge.MediaWorker", Environment("file:" + path)));
        Assert.StartsWith("Configuration error: HttpTools:order_status:Secret is required", line, StringComparison.Ordinal);
    }

    /// <summary>A document that is good on both services (no HTTP tool, so the worker needs no secret).</summary>
    private const string OneAgent = """{ "agents": [ { "name": "front-desk", "default": true } ] }""";

    [Theory]
    [InlineData("Bridge.Api", "-00:00:01")]
    [InlineData("Bridge.Api", "00:00:00")]
    [InlineData("Bridge.MediaWorker", "-00:00:01")]
    [InlineData("Bridge.MediaWorker", "100000.00:00:00")]
    [InlineData("Bridge.MediaWorker", "00:00:00.500")]
    public async Task A_load_timeout_out_of_range_stops_the_service_with_one_line_naming_it(string service, string timeout)
    {
        var environment = Environment("file:" + _documents.Write(OneAgent));
        environment["Agents__LoadTimeout"] = timeout;

        var line = Assert.Single(await RefusedLinesAsync(service, environment));
        Assert.Equal("Configuration error: Agents:LoadTimeout must be between 1 second and 5 minutes", line);
    }

    [Fact]
    public async Task A_load_timeout_that_is_no_duration_is_named_beside_the_other_bad_settings()
    {
        var environment = Environment("file:" + _documents.Write(OneAgent));
        environment["Agents__LoadTimeout"] = "soon";
        environment["Calls__MaxConcurrent"] = "abc";

        var lines = await RefusedLinesAsync("Bridge.MediaWorker", environment);
        Assert.Equal(2, lines.Length);
        Assert.Contains("Configuration error: Agents:LoadTimeout is 'soon', which is not a duration written as [d.]hh:mm:ss[.fff] (such as 00:01:30).", lines);
        Assert.Contains("Configuration error: Calls:MaxConcurrent is 'abc', which is not a whole number.", lines);
    }

    [Theory]
    [InlineData("file:no-such-agents.json", "Agents:Source file:no-such-agents.json: there is no file")]
    [InlineData("agents.json", "Agents:Source 'agents.json' must be file:<path>, ssm:<parameter name> or s3://<bucket>/<key>")]
    public async Task An_unreadable_source_stops_the_service_with_one_line_naming_it(string source, string expected)
    {
        var line = Assert.Single(await RefusedLinesAsync("Bridge.Api", Environment(source)));
        Assert.StartsWith("Configuration error: " + expected, line, StringComparison.Ordinal);
    }
}
