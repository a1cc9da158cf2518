using System.Text.Json.Nodes;
using Bridge.Agents.Profiles;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// Agent profiles on ECS: deployment.json's <c>agents</c> gives both services the document's source and the worker each
/// HTTP tool's secret; OpenTofu stores the document (SSM or S3), lets both task roles read it, and creates the secrets.
/// </summary>
public sealed class AgentsDeploymentTests
{
    private readonly TranslatorFixture _fixture = new();

    private static JsonObject Body(string file) =>
        HclCheck.Infrastructure.Value.Files.Single(f => f.File == file).Body ?? throw new InvalidOperationException($"{file} did not parse");

    /// <summary>The fixture with the real worker's project name, which alone gets the tools' secrets.</summary>
    private void WithAgents(string agents)
    {
        _fixture.UseTheMediaWorkerName();
        _fixture.Environment["agents"] = JsonNode.Parse(agents);
    }

    [Fact]
    public void Both_services_read_the_profiles_from_ssm_and_the_worker_gets_each_tools_secret_from_secrets_manager()
    {
        WithAgents("""{ "document": "agents.json", "httpTools": ["order_status", "ticket_status"] }""");

        var front = _fixture.App("front");
        var worker = _fixture.App("media-worker");

        Assert.Equal("ssm:/bridge-test/agents", TranslatorFixture.NameValues(front["environment"], "value")["Agents__Source"]);
        Assert.Equal("ssm:/bridge-test/agents", TranslatorFixture.NameValues(worker["environment"], "value")["Agents__Source"]);
        var secrets = TranslatorFixture.NameValues(worker["secrets"], "valueFrom");
        Assert.Equal("${http_tool_order_status_secret_arn}", secrets["HttpTools__order_status__Secret"]);
        Assert.Equal("${http_tool_ticket_status_secret_arn}", secrets["HttpTools__ticket_status__Secret"]);
        Assert.DoesNotContain(TranslatorFixture.NameValues(front["secrets"], "valueFrom").Keys, name => name.StartsWith("HttpTools__", StringComparison.Ordinal));
        Assert.DoesNotContain(TranslatorFixture.NameValues(worker["environment"], "value").Keys, name => name.StartsWith("HttpTools__", StringComparison.Ordinal));
    }

    [Fact]
    public void Profiles_in_s3_are_read_from_the_bucket_opentofu_names()
    {
        WithAgents("""{ "document": "agents.json", "store": "s3" }""");

        Assert.Equal("s3://${agents_bucket}/agents.json", TranslatorFixture.NameValues(_fixture.App("front")["environment"], "value")["Agents__Source"]);
    }

    [Fact]
    public void Without_agents_no_service_names_a_source()
    {
        Assert.DoesNotContain("Agents__Source", TranslatorFixture.NameValues(_fixture.App("worker")["environment"], "value").Keys);
    }

    [Theory]
    [InlineData("""{ "document": "agents.json", "store": "dynamodb" }""", "agents.store", "must be ssm")]
    [InlineData("""{ "store": "ssm" }""", "agents.document", "must name the profile document")]
    [InlineData("""{ "document": "../secrets/agents.json" }""", "agents.document", "must name the profile document")]
    [InlineData("""{ "document": "agents.json", "httpTools": ["Order-Status"] }""", "agents.httpTools", "'Order-Status' must be lower-case")]
    [InlineData("""{ "document": "agents.json", "httpTools": ["a", "a"] }""", "agents.httpTools", "names a tool twice")]
    [InlineData("""{ "document": "agents.json", "tools": ["a"] }""", "agents.tools", "")]
    public void A_bad_agents_section_stops_the_translation_naming_the_field(string agents, string field, string problem)
    {
        WithAgents(agents);

        var error = _fixture.TranslationError();

        Assert.Contains($"'{field}'", error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenTofu_stores_the_document_and_creates_a_secret_per_tool_that_only_the_execution_role_reads()
    {
        var bridge = Body("infrastructure/modules/bridge/main.tf");
        var parameter = bridge["resource"]!["aws_ssm_parameter"]!["agents"]![0]!;
        Assert.Equal("/${local.name}/agents", parameter["name"]!.GetValue<string>());
        Assert.Equal("SecureString", parameter["type"]!.GetValue<string>());
        Assert.Equal("Intelligent-Tiering", parameter["tier"]!.GetValue<string>());
        Assert.Equal("${local.agents_document}", parameter["value"]!.GetValue<string>());
        Assert.Equal("${local.agents_document}", bridge["resource"]!["aws_s3_object"]!["agents"]![0]!["content"]!.GetValue<string>());
        var publicAccess = bridge["resource"]!["aws_s3_bucket_public_access_block"]!["agents"]![0]!;
        Assert.All(["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"], flag => Assert.True(publicAccess[flag]!.GetValue<bool>()));
        var secret = bridge["resource"]!["aws_secretsmanager_secret"]!["http_tool"]![0]!;
        Assert.Equal("${local.http_tools}", secret["for_each"]!.GetValue<string>());
        Assert.Equal("${local.name}/http-tools/${each.key}", secret["name"]!.GetValue<string>());
        Assert.Null(secret["secret_string"]);

        var iam = bridge["module"]!["iam"]![0]!;
        Assert.Contains("aws_secretsmanager_secret.http_tool", iam["secret_arns"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("${aws_ssm_parameter.agents[*].arn}", iam["agents_parameter_arns"]!.GetValue<string>());
        Assert.Contains("aws_s3_object.agents", iam["agents_object_arns"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("${local.agents_template_values}", bridge["module"]!["service"]![0]!["template_values"]!.GetValue<string>());
    }

    [Fact]
    public void Both_task_roles_may_read_the_profiles_and_nothing_more()
    {
        var iam = Body("infrastructure/modules/iam/main.tf");
        var statements = iam["data"]!["aws_iam_policy_document"]!["agents"]![0]!["dynamic"]!["statement"]!.AsArray();
        Assert.Equal(
            [("ssm:GetParameter", "${var.agents_parameter_arns}"), ("s3:GetObject", "${var.agents_object_arns}")],
            statements.Select(s => (Assert.Single(s!["content"]![0]!["actions"]!.AsArray())!.GetValue<string>(), s!["content"]![0]!["resources"]!.GetValue<string>())));
        var policies = iam["resource"]!["aws_iam_role_policy"]!.AsObject();
        Assert.Equal("${aws_iam_role.api_task.id}", policies["api_agents"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("${aws_iam_role.worker_task.id}", policies["worker_agents"]![0]!["role"]!.GetValue<string>());
        Assert.All(["api_agents", "worker_agents"], name =>
            Assert.Equal("${data.aws_iam_policy_document.agents.json}", policies[name]![0]!["policy"]!.GetValue<string>()));
    }

    [Fact]
    public void The_dev_environments_document_is_a_valid_profile_document_whose_http_tools_all_have_secrets()
    {
        var folder = Path.Combine(HclCheck.Root, "infrastructure", "environments", "dev");
        var deployment = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "deployment.json")))!["agents"]!;
        var document = File.ReadAllText(Path.Combine(folder, deployment["document"]!.GetValue<string>()));

        // As the services read it on ECS: not Development, so https only.
        var read = AgentDocumentReader.Read(document, new AgentDocumentContext("ssm:/bridge-dev/agents", folder, AllowHttpToLoopback: false));

        Assert.True(read.Catalog is not null, string.Join('\n', read.Errors));
        Assert.Equal(read.Catalog.Tools.Keys.Order(), deployment["httpTools"]!.AsArray().Select(t => t!.GetValue<string>()).Order());
    }
}
