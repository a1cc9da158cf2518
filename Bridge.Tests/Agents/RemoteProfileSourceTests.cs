using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Bridge.Agents;
using Bridge.Agents.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.Agents;

/// <summary>
/// Profiles read at start from an SSM parameter or an S3 object: the real AWS SDK clients against a local server
/// that speaks those services' wire protocols (SSM's JSON 1.1 <c>AmazonSSM.GetParameter</c>, S3's REST GET).
/// </summary>
public sealed class RemoteProfileSourceTests : IAsyncLifetime
{
    private const string ParameterName = "/bridge/prod/agents";
    private readonly ConcurrentQueue<(string Target, string Body, bool Signed)> _requests = new();
    private readonly ProfileDocuments _documents = new();
    private WebApplication _server = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapPost("/", ServeSsmAsync);
        _server.MapGet("/{bucket}/{**key}", ServeS3);
        await _server.StartAsync();
        _address = new Uri(_server.Urls.First());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _documents.Dispose();
    }

    private async Task ServeSsmAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        _requests.Enqueue((target, body, context.Request.Headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)));
        context.Response.ContentType = "application/x-amz-json-1.1";
        using var request = JsonDocument.Parse(body);
        var name = request.RootElement.GetProperty("Name").GetString();
        if (target != "AmazonSSM.GetParameter" || name != ParameterName)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("""{"__type":"ParameterNotFound","message":"Parameter not found."}""");
            return;
        }
        var parameter = new { Parameter = new { Name = name, Type = "SecureString", Value = ProfileDocuments.Valid, Version = 3, ARN = "arn:aws:ssm:us-east-1:123456789012:parameter" + name } };
        await context.Response.WriteAsync(JsonSerializer.Serialize(parameter));
    }

    private IResult ServeS3(string bucket, string key, HttpContext context)
    {
        _requests.Enqueue(($"s3:{bucket}/{key}", "", context.Request.Headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)));
        return bucket == "voice-config" && key == "agents/prod.json"
            ? Results.Text(ProfileDocuments.Valid, "application/json")
            : Results.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>", "application/xml", Encoding.UTF8, 404);
    }

    /// <summary>The real SDK clients, pointed at the local server with fixed credentials.</summary>
    private sealed class LocalAwsSources(Uri address) : AgentsDocumentSources
    {
        private static readonly BasicAWSCredentials Credentials = new("AKIDEXAMPLELOCAL0001", "local/secret/not-an-aws-key");

        protected override IAmazonSimpleSystemsManagement CreateSsmClient() =>
            new AmazonSimpleSystemsManagementClient(Credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = address.ToString(), AuthenticationRegion = "us-east-1" });

        protected override IAmazonS3 CreateS3Client() =>
            new AmazonS3Client(Credentials, new AmazonS3Config { ServiceURL = address.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
    }

    private AgentCatalogLoader Loader() => new(
        new HostingEnvironment { ContentRootPath = _documents.Folder, EnvironmentName = Environments.Production },
        new LocalAwsSources(_address),
        NullLogger<AgentCatalogLoader>.Instance);

    [Fact]
    public void Profiles_are_read_from_an_ssm_parameter_with_decryption()
    {
        var read = Loader().Load(new AgentsOptions { Source = "ssm:" + ParameterName });

        Assert.Empty(read.Errors);
        Assert.Equal("ssm:" + ParameterName, read.Catalog!.Source);
        Assert.Equal("sales", read.Catalog.ForCalledNumber(ProfileDocuments.SalesNumber).Name);
        var request = Assert.Single(_requests);
        Assert.Equal("AmazonSSM.GetParameter", request.Target);
        Assert.True(request.Signed);
        using var body = JsonDocument.Parse(request.Body);
        Assert.True(body.RootElement.GetProperty("WithDecryption").GetBoolean());
    }

    [Fact]
    public void A_missing_parameter_is_one_line_naming_the_source()
    {
        var read = Loader().Load(new AgentsOptions { Source = "ssm:/bridge/prod/other" });

        Assert.Null(read.Catalog);
        Assert.Equal("Agents:Source ssm:/bridge/prod/other: no such parameter (check the name and the region)", Assert.Single(read.Errors));
    }

    [Fact]
    public void Profiles_are_read_from_an_s3_object()
    {
        var read = Loader().Load(new AgentsOptions { Source = "s3://voice-config/agents/prod.json" });

        Assert.Empty(read.Errors);
        Assert.Equal(3, read.Catalog!.Agents.Count);
        var request = Assert.Single(_requests);
        Assert.Equal(("s3:voice-config/agents/prod.json", true), (request.Target, request.Signed));
    }

    [Fact]
    public void A_missing_object_is_one_line_naming_the_source()
    {
        var read = Loader().Load(new AgentsOptions { Source = "s3://voice-config/agents/none.json" });

        Assert.Equal("Agents:Source s3://voice-config/agents/none.json: no such object", Assert.Single(read.Errors));
    }

    [Theory]
    [InlineData("ssm:", null)]
    [InlineData("s3://bucket-only", null)]
    [InlineData("s3://b/k", "s3://b/k")]
    [InlineData("file:agents.json", "file:agents.json")]
    public void Source_syntax(string text, string? parsed) => Assert.Equal(parsed, AgentsSourceLocation.TryParse(text)?.ToString());
}
