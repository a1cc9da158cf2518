using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bridge.Deploy.TaskDefinitions.Fargate;
using Bridge.Deploy.TaskDefinitions.TaskDefinitions;

namespace Bridge.Tests.Infrastructure;

/// <summary>The task definitions committed under infrastructure/task-definitions, as OpenTofu will deploy them.</summary>
public partial class CommittedTaskDefinitionsTests
{
    private static readonly string Root = TaskDefinitionFiles.FindRepositoryRoot(AppContext.BaseDirectory);

    private static IEnumerable<(string Path, JsonObject Definition)> Committed() =>
        TaskDefinitionFiles.ReadCommitted(Root).Select(file => (file.Key, JsonNode.Parse(file.Value)!.AsObject()));

    [Fact]
    public void The_committed_task_definitions_are_what_the_translator_makes_from_the_committed_manifest()
    {
        var stale = TaskDefinitionFiles.Differences(TaskDefinitionFiles.Render(Root), TaskDefinitionFiles.ReadCommitted(Root));

        Assert.True(stale.Count == 0,
            $"Stale task definitions: {string.Join(", ", stale)}. Regenerate with `{TaskDefinitionFiles.RegenerateCommand}` and commit them.");
    }

    [Fact]
    public void Every_environment_has_a_task_definition_for_both_services()
    {
        Assert.Equal(
            [
                "infrastructure/task-definitions/dev/api.json",
                "infrastructure/task-definitions/dev/media-worker.json",
                "infrastructure/task-definitions/prod/api.json",
                "infrastructure/task-definitions/prod/media-worker.json",
            ],
            TaskDefinitionFiles.ReadCommitted(Root).Keys);
    }

    [Fact]
    public void Secrets_come_only_from_ARNs_and_no_environment_variable_carries_a_secret()
    {
        foreach (var (path, definition) in Committed())
        {
            var app = definition["containerDefinitions"]![0]!;
            var secrets = TranslatorFixture.NameValues(app["secrets"], "valueFrom");
            var environment = TranslatorFixture.NameValues(app["environment"], "value");

            Assert.Equal("${twilio_auth_token_secret_arn}", secrets["Twilio__AuthToken"]);
            Assert.All(secrets.Values, reference => Assert.Matches(SecretReference(), reference));
            Assert.All(environment.Keys, name => Assert.False(SecretLookingName().IsMatch(name), $"{path}: '{name}' is in plain environment"));
        }
    }

    [Fact]
    public void The_api_gets_its_outbound_key_and_callback_secret_from_Secrets_Manager_and_asks_the_workers_by_their_Cloud_Map_name()
    {
        foreach (var (path, definition) in Committed().Where(c => c.Path.EndsWith("/api.json", StringComparison.Ordinal)))
        {
            var app = definition["containerDefinitions"]![0]!;
            var secrets = TranslatorFixture.NameValues(app["secrets"], "valueFrom");
            var environment = TranslatorFixture.NameValues(app["environment"], "value");
            var name = path.Split('/')[^2];

            Assert.Equal("${outbound_api_key_secret_arn}", secrets["Outbound__ApiKeys__primary"]);
            Assert.Equal("${outbound_callback_secret_arn}", secrets["Outbound__CallbackSecret"]);
            Assert.DoesNotContain(environment.Keys, key => key.StartsWith("Outbound__ApiKeys", StringComparison.Ordinal) || key == "Outbound__CallbackSecret");
            Assert.Equal($"http://media-worker.bridge-{name}.internal:8080", environment["Outbound__Workers"]);
            Assert.Matches(@"^\+[1-9]\d{6,14}$", environment["Outbound__CallerIds__0"]);
        }
    }

    /// <summary>The worker signs outbound calls' conversation callbacks with the api's callback secret: from Secrets Manager too, and no API key.</summary>
    [Fact]
    public void The_worker_gets_the_callback_secret_from_Secrets_Manager_and_no_outbound_api_key()
    {
        foreach (var (_, definition) in Committed().Where(c => c.Path.EndsWith("/media-worker.json", StringComparison.Ordinal)))
        {
            var app = definition["containerDefinitions"]![0]!;
            var secrets = TranslatorFixture.NameValues(app["secrets"], "valueFrom");
            var environment = TranslatorFixture.NameValues(app["environment"], "value");

            Assert.Equal("${outbound_callback_secret_arn}", secrets["Outbound__CallbackSecret"]);
            Assert.DoesNotContain(secrets.Keys.Concat(environment.Keys), key => key.StartsWith("Outbound__ApiKeys", StringComparison.Ordinal));
            Assert.DoesNotContain("Outbound__CallbackSecret", environment.Keys);
        }
    }

    [Fact]
    public void The_files_hold_no_value_that_looks_like_a_credential()
    {
        foreach (var (path, content) in TaskDefinitionFiles.ReadCommitted(Root))
        {
            Assert.False(TwilioAuthTokenLike().IsMatch(content), $"{path} holds a 32-hex-digit value (a Twilio auth token?)");
            Assert.False(AwsAccessKeyLike().IsMatch(content), $"{path} holds an AWS access key id");
            Assert.False(AccountNumber().IsMatch(content), $"{path} holds a 12-digit AWS account number");
        }
    }

    [Fact]
    public void Every_task_size_is_in_the_Fargate_matrix()
    {
        foreach (var (path, definition) in Committed())
        {
            var problem = FargateSizes.Check(int.Parse(definition["cpu"]!.GetValue<string>()), int.Parse(definition["memory"]!.GetValue<string>()));
            Assert.True(problem is null, $"{path}: {problem}");
        }
    }

    [Fact]
    public void The_media_worker_has_two_minutes_to_drain_its_calls()
    {
        foreach (var (path, definition) in Committed().Where(c => c.Path.EndsWith("/media-worker.json", StringComparison.Ordinal)))
        {
            var app = definition["containerDefinitions"]![0]!;
            Assert.Equal(120, app["stopTimeout"]!.GetValue<int>());
            // The drain, then 15 s of goodbyes and 15 s for callbacks, must end before ECS's SIGKILL.
            var drain = TimeSpan.Parse(TranslatorFixture.NameValues(app["environment"], "value")["Calls__DrainTimeout"], CultureInfo.InvariantCulture);
            Assert.True(drain + TimeSpan.FromSeconds(30) < TimeSpan.FromSeconds(120), $"{path}: Calls__DrainTimeout {drain} leaves no time for the goodbyes.");
        }
    }

    [Fact]
    public void Services_behind_the_load_balancer_know_the_public_URL_and_trust_only_the_VPC()
    {
        foreach (var (path, definition) in Committed())
        {
            var environment = TranslatorFixture.NameValues(definition["containerDefinitions"]![0]!["environment"], "value");
            Assert.StartsWith("https://", environment["Bridge__PublicBaseUrl"]);
            Assert.Matches(@"^10\.\d+\.0\.0/16$", environment["Bridge__TrustedProxies__0"]);
            Assert.Equal("8080", environment["HTTP_PORTS"]);
        }
    }

    /// <summary>Twilio signs the URL it dials (the certificate's and DNS record's host): the app must check against the same.</summary>
    [Fact]
    public void The_public_URL_the_services_use_is_the_one_OpenTofu_serves()
    {
        foreach (var environmentFile in TaskDefinitionFiles.EnvironmentFiles(Root))
        {
            var deployment = JsonNode.Parse(File.ReadAllText(environmentFile))!;
            var name = deployment["name"]!.GetValue<string>();
            foreach (var (path, definition) in Committed().Where(c => c.Path.StartsWith($"infrastructure/task-definitions/{name}/", StringComparison.Ordinal)))
            {
                var environment = TranslatorFixture.NameValues(definition["containerDefinitions"]![0]!["environment"], "value");
                Assert.True(deployment["publicBaseUrl"]!.GetValue<string>() == environment["Bridge__PublicBaseUrl"],
                    $"{path}: Bridge__PublicBaseUrl is {environment["Bridge__PublicBaseUrl"]}, but {environmentFile} serves {deployment["publicBaseUrl"]}");
                Assert.Equal(deployment["vpcCidr"]!.GetValue<string>(), environment["Bridge__TrustedProxies__0"]);
            }
        }
    }

    /// <summary>The worker calls Twilio's REST API as its account, set per environment (required outside Development).</summary>
    [Fact]
    public void The_media_worker_acts_as_its_environment_s_Twilio_account()
    {
        foreach (var environmentFile in TaskDefinitionFiles.EnvironmentFiles(Root))
        {
            var deployment = JsonNode.Parse(File.ReadAllText(environmentFile))!;
            var account = deployment["parameters"]!["twilio-account-sid"]!.GetValue<string>();
            var (_, worker) = Committed().Single(c => c.Path == $"infrastructure/task-definitions/{deployment["name"]}/media-worker.json");
            var environment = TranslatorFixture.NameValues(worker["containerDefinitions"]![0]!["environment"], "value");

            Assert.Matches("^AC[0-9a-f]{32}$", account);
            Assert.Equal(account, environment["Twilio__AccountSid"]);
        }
    }

    [GeneratedRegex(@"^(arn:aws[a-z-]*:(secretsmanager|ssm):\S+|\$\{[a-z_][a-z0-9_]*_secret_arn\})$")]
    private static partial Regex SecretReference();

    [GeneratedRegex("(?i)(token|secret|password|apikey|api_key)")]
    private static partial Regex SecretLookingName();

    [GeneratedRegex(@"\b[0-9a-f]{32}\b")]
    private static partial Regex TwilioAuthTokenLike();

    [GeneratedRegex(@"\b(AKIA|ASIA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsAccessKeyLike();

    [GeneratedRegex(@"(?<![0-9])[0-9]{12}(?![0-9])")]
    private static partial Regex AccountNumber();
}
