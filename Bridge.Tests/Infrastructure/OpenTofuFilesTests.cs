using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bridge.Deploy.TaskDefinitions.TaskDefinitions;

namespace Bridge.Tests.Infrastructure;

/// <summary>Every OpenTofu file parses with OpenTofu's own parser, and the parsed files say what the issue asks.</summary>
public partial class OpenTofuFilesTests
{
    private static JsonObject Body(string file) =>
        HclCheck.Infrastructure.Value.Files.Single(f => f.File == file).Body ?? throw new InvalidOperationException($"{file} did not parse");

    private static JsonObject Resource(string file, string type, string name) =>
        Body(file)["resource"]![type]![name]![0]!.AsObject();

    [Fact]
    public void Every_OpenTofu_file_in_the_repository_parses()
    {
        var run = HclCheck.Infrastructure.Value;

        var failures = run.Files.Where(f => !f.Ok).Select(f => $"{f.File}: {f.Error}").ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.Files, f => f.File == "infrastructure/bootstrap/main.tf");
        Assert.Contains(run.Files, f => f.File == "infrastructure/environments/prod/terraform.tfvars.example");
        Assert.True(run.Files.Count >= 30, $"only {run.Files.Count} files were checked");
    }

    [Fact]
    public void A_file_with_a_syntax_error_fails_the_check_with_its_line()
    {
        var directory = Directory.CreateTempSubdirectory("hcl-check-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "good.tf"), "variable \"a\" {\n  type = string\n}\n");
            File.WriteAllText(Path.Combine(directory.FullName, "broken.tf"),
                "resource \"aws_lb\" \"this\" {\n  name = \"x\"\n  subnets = [for s in var.subnets : s.id\n}\n");

            var run = HclCheck.Parse(directory.FullName);

            Assert.Equal(1, run.ExitCode);
            var broken = Assert.Single(run.Files, f => f.File.EndsWith("broken.tf", StringComparison.Ordinal));
            Assert.False(broken.Ok);
            Assert.Contains("broken.tf:", broken.Error);
            Assert.True(Assert.Single(run.Files, f => f.File.EndsWith("good.tf", StringComparison.Ordinal)).Ok);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_task_definitions_are_rendered_from_the_translators_files_not_written_in_HCL()
    {
        var locals = Body("infrastructure/modules/ecs-service/main.tf")["locals"]![0]!;
        var definition = Resource("infrastructure/modules/ecs-service/main.tf", "aws_ecs_task_definition", "this");

        Assert.Equal("${jsondecode(templatefile(var.task_definition_file, local.template_variables))}", locals["task_definition"]!.GetValue<string>());
        Assert.Equal("${jsonencode(local.task_definition.containerDefinitions)}", definition["container_definitions"]!.GetValue<string>());
    }

    [Fact]
    public void Services_run_on_on_demand_Fargate_never_Spot()
    {
        var service = Resource("infrastructure/modules/ecs-service/main.tf", "aws_ecs_service", "this");

        Assert.Equal("FARGATE", service["launch_type"]!.GetValue<string>());
        Assert.Null(service["capacity_provider_strategy"]);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(HclCheck.Root, "infrastructure"), "*.tf", SearchOption.AllDirectories),
            file => File.ReadAllText(file).Contains("FARGATE_SPOT", StringComparison.Ordinal));
    }

    [Fact]
    public void The_load_balancer_routes_webhooks_to_the_api_and_media_to_the_worker_and_checks_readiness()
    {
        var routes = Body("infrastructure/modules/bridge/main.tf")["locals"]![0]!["routes"]!;
        var targetGroup = Resource("infrastructure/modules/alb/main.tf", "aws_lb_target_group", "service");
        var healthPath = Body("infrastructure/modules/alb/variables.tf")["variable"]!["health_check_path"]![0]!["default"]!;

        Assert.Equal(["/webhook*"], routes["api"]!["paths"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["/media", "/media/*"], routes["media-worker"]!["paths"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("${var.health_check_path}", targetGroup["health_check"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("/health/readiness", healthPath.GetValue<string>());
    }

    [Fact]
    public void The_worker_may_invoke_only_the_configured_models_with_a_bidirectional_stream()
    {
        var policy = Body("infrastructure/modules/iam/main.tf")["data"]!["aws_iam_policy_document"]!["worker"]![0]!;
        var bedrock = policy["statement"]!.AsArray().Single(s => s!["sid"]!.GetValue<string>() == "NovaSonic")!;

        Assert.Equal(["bedrock:InvokeModelWithBidirectionalStream"], bedrock["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("${var.bedrock_model_arns}", bedrock["resources"]!.GetValue<string>());
    }

    [Fact]
    public void The_state_bucket_is_versioned_and_encrypted_and_the_backends_lock()
    {
        Assert.Equal("Enabled",
            Resource("infrastructure/bootstrap/main.tf", "aws_s3_bucket_versioning", "state")["versioning_configuration"]![0]!["status"]!.GetValue<string>());
        Assert.NotNull(Resource("infrastructure/bootstrap/main.tf", "aws_s3_bucket_server_side_encryption_configuration", "state"));
        foreach (var environment in new[] { "dev", "prod" })
        {
            var backend = Body($"infrastructure/environments/{environment}/versions.tf")["terraform"]![0]!["backend"]!["s3"]![0]!;
            Assert.True(backend["use_lockfile"]!.GetValue<bool>());
            Assert.True(backend["encrypt"]!.GetValue<bool>());
        }
    }

    /// <summary>OpenTofu renders the translator's files with templatefile(): a placeholder it is not given fails the plan.</summary>
    [Fact]
    public void Every_placeholder_in_the_task_definitions_is_one_OpenTofu_fills_in()
    {
        var templateVariables = Body("infrastructure/modules/ecs-service/main.tf")["locals"]![0]!["template_variables"]!.GetValue<string>();
        var secretArns = Body("infrastructure/modules/bridge/main.tf")["module"]!["service"]![0]!["secret_arns"]!.AsObject();
        var provided = Assignment().Matches(templateVariables).Select(m => m.Groups[1].Value)
            .Concat(secretArns.Select(entry => entry.Key))
            .ToHashSet();
        Assert.Contains("image", provided);

        foreach (var (path, content) in TaskDefinitionFiles.ReadCommitted(HclCheck.Root))
        {
            foreach (Match placeholder in Placeholder().Matches(content))
            {
                Assert.True(provided.Contains(placeholder.Groups[1].Value),
                    $"{path} uses {placeholder.Value}, which OpenTofu does not pass to templatefile()");
            }
        }
    }

    [GeneratedRegex(@"\$\{([a-z_][a-z0-9_]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\s*([a-z_][a-z0-9_]*)\s*=", RegexOptions.Multiline)]
    private static partial Regex Assignment();
}
