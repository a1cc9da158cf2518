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
    public void The_load_balancer_routes_the_exact_webhook_and_media_paths_and_nothing_below_them()
    {
        var routes = Body("infrastructure/modules/bridge/main.tf")["locals"]![0]!["routes"]!;

        Assert.Equal(
            ["/webhook", "/webhook/stream-status", "/webhook/connect-ended", "/webhook/outbound/answer", "/webhook/outbound/amd", "/webhook/outbound/status", "/calls"],
            routes["api"]!["paths"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["/media"], routes["media-worker"]!["paths"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.DoesNotContain(routes.AsObject().SelectMany(r => r.Value!["paths"]!.AsArray()), p => p!.GetValue<string>().Contains('*', StringComparison.Ordinal));
    }

    /// <summary>A listener rule takes at most five condition values: a service's paths are split into rules of five.</summary>
    [Fact]
    public void Each_listener_rule_holds_at_most_five_paths()
    {
        var rule = Resource("infrastructure/modules/alb/main.tf", "aws_lb_listener_rule", "service");
        var pathRules = Body("infrastructure/modules/alb/main.tf")["locals"]![0]!["path_rules"]!.GetValue<string>();

        Assert.Equal("${local.path_rules}", rule["for_each"]!.GetValue<string>());
        Assert.Contains("chunklist(settings.paths, 5)", pathRules, StringComparison.Ordinal);
        Assert.Equal("${each.value.paths}", rule["condition"]![0]!["path_pattern"]![0]!["values"]!.GetValue<string>());
    }

    /// <summary>
    /// The outbound API's key and callback secret are Secrets Manager secrets the execution role may read, handed to the
    /// api's task definition as ARNs; the api reaches every worker by its Cloud Map name on the worker's port.
    /// </summary>
    [Fact]
    public void The_outbound_api_s_secrets_are_in_Secrets_Manager_and_the_api_may_reach_the_workers_readiness()
    {
        var bridge = Body("infrastructure/modules/bridge/main.tf");
        var secrets = bridge["resource"]!["aws_secretsmanager_secret"]!.AsObject();
        Assert.Contains("outbound_api_key", secrets.Select(s => s.Key));
        Assert.Contains("outbound_callback_secret", secrets.Select(s => s.Key));
        var secretArns = bridge["module"]!["service"]![0]!["secret_arns"]!.AsObject();
        Assert.Equal("${aws_secretsmanager_secret.outbound_api_key.arn}", secretArns["outbound_api_key_secret_arn"]!.GetValue<string>());
        Assert.Equal("${aws_secretsmanager_secret.outbound_callback_secret.arn}", secretArns["outbound_callback_secret_arn"]!.GetValue<string>());
        var readable = bridge["module"]!["iam"]![0]!["secret_arns"]!.GetValue<string>();
        Assert.Contains("aws_secretsmanager_secret.outbound_api_key.arn", readable);
        Assert.Contains("aws_secretsmanager_secret.outbound_callback_secret.arn", readable);

        Assert.Equal("${local.name}.internal", Resource("infrastructure/modules/bridge/main.tf", "aws_service_discovery_private_dns_namespace", "internal")["name"]!.GetValue<string>());
        var workers = Resource("infrastructure/modules/bridge/main.tf", "aws_service_discovery_service", "media_worker");
        Assert.Equal("media-worker", workers["name"]!.GetValue<string>());
        Assert.Equal("MULTIVALUE", workers["dns_config"]![0]!["routing_policy"]!.GetValue<string>());
        var ingress = Resource("infrastructure/modules/bridge/main.tf", "aws_vpc_security_group_ingress_rule", "worker_from_api");
        Assert.Equal("${module.service[\"api\"].security_group_id}", ingress["referenced_security_group_id"]!.GetValue<string>());
        Assert.Equal("${local.container_ports[\"media-worker\"]}", ingress["from_port"]!.GetValue<string>());
    }

    /// <summary>
    /// ECS replaces a task whose target is unhealthy. The worker's readiness is 503 while it is full or draining (the
    /// capacity signal): checked by the load balancer, a worker carrying its maximum of calls would be replaced.
    /// </summary>
    [Fact]
    public void The_worker_s_health_check_is_liveness_never_the_capacity_signal()
    {
        var routes = Body("infrastructure/modules/bridge/main.tf")["locals"]![0]!["routes"]!;
        var targetGroup = Resource("infrastructure/modules/alb/main.tf", "aws_lb_target_group", "service");

        Assert.Equal("${each.value.health_check_path}", targetGroup["health_check"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("200", targetGroup["health_check"]![0]!["matcher"]!.GetValue<string>());
        Assert.Equal("/health/liveness", routes["media-worker"]!["health_check_path"]!.GetValue<string>());
        Assert.NotEqual("/health/readiness", routes["media-worker"]!["health_check_path"]!.GetValue<string>());
        Assert.Equal("/health/readiness", routes["api"]!["health_check_path"]!.GetValue<string>());
        Assert.DoesNotContain(Body("infrastructure/modules/alb/variables.tf")["variable"]!.AsObject(), v => v.Key == "health_check_path");
    }

    [Fact]
    public void New_streams_go_to_the_worker_with_the_fewest_requests_in_progress_without_slow_start()
    {
        var routes = Body("infrastructure/modules/bridge/main.tf")["locals"]![0]!["routes"]!;
        var targetGroup = Resource("infrastructure/modules/alb/main.tf", "aws_lb_target_group", "service");

        Assert.Equal("least_outstanding_requests", routes["media-worker"]!["load_balancing_algorithm"]!.GetValue<string>());
        Assert.Equal("${each.value.load_balancing_algorithm}", targetGroup["load_balancing_algorithm_type"]!.GetValue<string>());
        // AWS refuses slow start with least outstanding requests.
        Assert.Null(targetGroup["slow_start"]);
    }

    [Fact]
    public void The_worker_scales_on_admitted_calls_per_task_with_a_quarter_of_its_calls_as_headroom()
    {
        var bridge = Body("infrastructure/modules/bridge/main.tf");
        var policy = Resource("infrastructure/modules/ecs-service/main.tf", "aws_appautoscaling_policy", "active_calls");
        var metric = policy["target_tracking_scaling_policy_configuration"]![0]!["customized_metric_specification"]![0]!;
        var precondition = policy["lifecycle"]![0]!["precondition"]![0]!["condition"]!.GetValue<string>();

        Assert.Equal("bridge.calls.active", metric["metric_name"]!.GetValue<string>());
        Assert.Equal(new Bridge.MediaWorker.Calls.CallOptions().MaxConcurrent, bridge["locals"]![0]!["worker_max_concurrent_calls"]!.GetValue<int>());
        Assert.Contains("var.active_calls_per_task_target <= 0.75 * var.max_calls_per_task", precondition, StringComparison.Ordinal);
        // The gauge reaches CloudWatch: the collector keeps bridge.* and publishes it by service.name, the policy's dimension.
        var collector = File.ReadAllText(Path.Combine(HclCheck.Root, "infrastructure/Bridge.Deploy.TaskDefinitions/Collector/adot-collector.yaml"));
        Assert.Contains("- ^bridge\\..*", collector, StringComparison.Ordinal);
        Assert.Equal("service.name", metric["dimensions"]![0]!["name"]!.GetValue<string>());
        // Every example target leaves that headroom.
        foreach (var environment in new[] { "dev", "prod" })
        {
            var target = Body($"infrastructure/environments/{environment}/terraform.tfvars.example")["scaling"]!["media-worker"]!["active_calls_per_task_target"]!.GetValue<int>();
            Assert.InRange(target, 1, 0.75 * new Bridge.MediaWorker.Calls.CallOptions().MaxConcurrent);
        }
    }

    [Fact]
    public void A_waf_with_a_rate_based_rule_and_access_logs_exist_when_enabled_and_the_prod_example_enables_them()
    {
        var alb = Body("infrastructure/modules/alb/main.tf");
        var acl = Resource("infrastructure/modules/alb/main.tf", "aws_wafv2_web_acl", "this");
        var association = Resource("infrastructure/modules/alb/main.tf", "aws_wafv2_web_acl_association", "this");
        var loadBalancer = Resource("infrastructure/modules/alb/main.tf", "aws_lb", "this");
        var rate = acl["rule"]![0]!["statement"]![0]!["rate_based_statement"]![0]!;

        Assert.Equal("${var.waf_rate_limit == null ? 0 : 1}", acl["count"]!.GetValue<string>());
        Assert.Equal("${var.waf_rate_limit}", rate["limit"]!.GetValue<string>());
        Assert.Equal("IP", rate["aggregate_key_type"]!.GetValue<string>());
        Assert.Equal("${aws_lb.this.arn}", association["resource_arn"]!.GetValue<string>());
        Assert.Equal("${var.access_logs_enabled ? [1] : []}", loadBalancer["dynamic"]!["access_logs"]![0]!["for_each"]!.GetValue<string>());
        Assert.Equal("${var.access_logs_enabled ? 1 : 0}", Resource("infrastructure/modules/alb/main.tf", "aws_s3_bucket", "access_logs")["count"]!.GetValue<string>());
        var delivery = alb["data"]!["aws_iam_policy_document"]!["access_logs"]![0]!["statement"]![0]!;
        Assert.Equal("logdelivery.elasticloadbalancing.amazonaws.com", delivery["principals"]![0]!["identifiers"]![0]!.GetValue<string>());

        var prod = Body("infrastructure/environments/prod/terraform.tfvars.example");
        Assert.True(prod["waf_rate_limit"]!.GetValue<int>() >= 100);
        Assert.True(prod["alb_access_logs_enabled"]!.GetValue<bool>());
        var passedOn = Body("infrastructure/environments/prod/main.tf")["module"]!["bridge"]![0]!;
        Assert.Equal("${var.waf_rate_limit}", passedOn["waf_rate_limit"]!.GetValue<string>());
        Assert.Equal("${var.alb_access_logs_enabled}", passedOn["alb_access_logs_enabled"]!.GetValue<string>());
    }

    [Fact]
    public void The_capacity_alarms_count_only_calls_refused_for_want_of_capacity_or_memory()
    {
        var alarm = Resource("infrastructure/modules/monitoring/main.tf", "aws_cloudwatch_metric_alarm", "rejected_calls");
        var memoryAlarm = Resource("infrastructure/modules/monitoring/main.tf", "aws_cloudwatch_metric_alarm", "rejected_calls_memory");
        var collector = File.ReadAllText(Path.Combine(HclCheck.Root, "infrastructure/Bridge.Deploy.TaskDefinitions/Collector/adot-collector.yaml"));

        Assert.Equal("capacity", alarm["dimensions"]!["reason"]!.GetValue<string>());
        Assert.Equal("memory", memoryAlarm["dimensions"]!["reason"]!.GetValue<string>());
        Assert.Equal("bridge.calls.rejected", memoryAlarm["metric_name"]!.GetValue<string>());
        Assert.Contains("- dimensions: [[service.name, reason]]", collector, StringComparison.Ordinal);
    }

    /// <summary>X-Ray indexes span attributes by name: one no span carries finds nothing, and a call's trace cannot be searched by its CallSid.</summary>
    [Fact]
    public void The_collector_indexes_the_call_spans_CallSid_attribute_in_XRay()
    {
        var collector = File.ReadAllText(Path.Combine(HclCheck.Root, "infrastructure/Bridge.Deploy.TaskDefinitions/Collector/adot-collector.yaml"));
        var indexed = Regex.Match(collector, @"indexed_attributes:\s*\[(?<names>[^\]]*)\]");

        Assert.True(indexed.Success, "the awsxray exporter has no indexed_attributes");
        Assert.Contains(Bridge.MediaWorker.Calls.CallHost.CallSidTag, indexed.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries));
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
        Assert.Contains("var.template_values", templateVariables, StringComparison.Ordinal);
        // The agents' placeholders, made per environment from its deployment.json (modules/bridge, agents_template_values).
        var agentsValues = Body("infrastructure/modules/bridge/main.tf")["locals"]![0]!["agents_template_values"]!.GetValue<string>();
        Assert.Contains("\"http_tool_${tool}_secret_arn\" => secret.arn", agentsValues, StringComparison.Ordinal);
        Assert.Contains("for bucket in aws_s3_bucket.agents : \"agents_bucket\" => bucket.bucket", agentsValues, StringComparison.Ordinal);

        foreach (var (path, content) in TaskDefinitionFiles.ReadCommitted(HclCheck.Root))
        {
            var environment = path.Split('/')[^2];
            foreach (Match placeholder in Placeholder().Matches(content))
            {
                var name = placeholder.Groups[1].Value;
                var provides = provided.Contains(name) ||
                    (HttpToolSecret().Match(name) is { Success: true } tool && DeployedHttpTools(environment).Contains(tool.Groups[1].Value)) ||
                    (name == "agents_bucket" && DeployedAgentsStore(environment) == "s3");
                Assert.True(provides, $"{path} uses {placeholder.Value}, which OpenTofu does not pass to templatefile()");
            }
        }
    }

    private static JsonNode? DeployedAgents(string environment) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(HclCheck.Root, "infrastructure", "environments", environment, "deployment.json")),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!["agents"];

    private static IReadOnlyList<string> DeployedHttpTools(string environment) =>
        DeployedAgents(environment)?["httpTools"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];

    private static string? DeployedAgentsStore(string environment) =>
        DeployedAgents(environment) is { } agents ? agents["store"]?.GetValue<string>() ?? "ssm" : null;

    [GeneratedRegex(@"^http_tool_([a-z][a-z0-9_]*)_secret_arn$")]
    private static partial Regex HttpToolSecret();

    [GeneratedRegex(@"\$\{([a-z_][a-z0-9_]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\s*([a-z_][a-z0-9_]*)\s*=", RegexOptions.Multiline)]
    private static partial Regex Assignment();
}
