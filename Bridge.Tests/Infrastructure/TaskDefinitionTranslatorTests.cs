using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions.TaskDefinitions;

namespace Bridge.Tests.Infrastructure;

public class TaskDefinitionTranslatorTests
{
    private readonly TranslatorFixture fixture = new();

    [Fact]
    public void Each_project_becomes_a_Fargate_task_definition_and_parameters_do_not()
    {
        var generated = fixture.Translate();

        Assert.Equal(["front", "worker"], generated.Select(t => t.Service));
        var worker = fixture.TaskDefinition("worker");
        Assert.Equal("bridge-test-worker", worker["family"]!.GetValue<string>());
        Assert.Equal("awsvpc", worker["networkMode"]!.GetValue<string>());
        Assert.Equal("FARGATE", worker["requiresCompatibilities"]![0]!.GetValue<string>());
        Assert.Equal("1024", worker["cpu"]!.GetValue<string>());
        Assert.Equal("2048", worker["memory"]!.GetValue<string>());
        Assert.Equal("${task_role_arn}", worker["taskRoleArn"]!.GetValue<string>());
        Assert.Equal("${execution_role_arn}", worker["executionRoleArn"]!.GetValue<string>());
    }

    [Fact]
    public void A_secret_parameter_becomes_a_secrets_entry_with_the_ARN_and_never_an_environment_variable()
    {
        var app = fixture.App("worker");

        var secrets = TranslatorFixture.NameValues(app["secrets"], "valueFrom");
        Assert.Equal(new Dictionary<string, string> { ["Auth__Token"] = "${auth_token_secret_arn}" }, secrets);
        Assert.DoesNotContain("Auth__Token", TranslatorFixture.NameValues(app["environment"], "value").Keys);
    }

    [Fact]
    public void A_secret_parameter_with_a_value_in_the_manifest_does_not_leak_that_value()
    {
        fixture.Resource("auth-token")["inputs"]!["value"]!["default"] = new JsonObject { ["value"] = "s3cr3t-from-the-manifest" };

        var files = fixture.Translate().Select(t => TaskDefinitionFiles.Serialize(t.Definition));

        Assert.All(files, file => Assert.DoesNotContain("s3cr3t-from-the-manifest", file));
    }

    [Fact]
    public void A_secret_value_in_the_environment_file_is_refused()
    {
        fixture.Environment["parameters"]!["auth-token"] = "plain-text-token";

        var error = fixture.TranslationError();

        Assert.Contains("field 'parameters.auth-token'", error);
        Assert.Contains("is a secret", error);
    }

    [Fact]
    public void A_secret_without_an_ARN_in_the_environment_file_stops_the_translation()
    {
        fixture.Environment["secrets"] = new JsonObject();

        var error = fixture.TranslationError();

        Assert.Contains("Resource 'worker', field 'env.Auth__Token'", error);
        Assert.Contains("set secrets.auth-token", error);
    }

    [Theory]
    [InlineData("plain-name")]
    [InlineData("arn:aws:s3:::bucket/token")]
    [InlineData("${not a placeholder}")]
    public void A_secret_reference_that_is_neither_an_ARN_nor_a_placeholder_is_refused(string reference)
    {
        fixture.Environment["secrets"]!["auth-token"] = reference;

        Assert.Contains("field 'secrets.auth-token'", fixture.TranslationError());
    }

    [Fact]
    public void A_Secrets_Manager_ARN_is_used_as_it_is()
    {
        const string Arn = "arn:aws:secretsmanager:eu-west-1:${account_id}:secret:bridge/test/auth-token-AbCdEf";
        fixture.Environment["secrets"]!["auth-token"] = Arn;

        Assert.Equal(Arn, TranslatorFixture.NameValues(fixture.App("worker")["secrets"], "valueFrom")["Auth__Token"]);
    }

    [Fact]
    public void A_secret_inside_a_larger_value_stops_the_translation()
    {
        fixture.Resource("worker")["env"]!["Connection"] = "Server=db;Password={auth-token.value}";

        var error = fixture.TranslationError();

        Assert.Contains("Resource 'worker', field 'env.Connection'", error);
        Assert.Contains("secret parameter 'auth-token' inside a larger value", error);
    }

    [Fact]
    public void A_binding_of_another_service_resolves_to_its_URL_behind_the_load_balancer()
    {
        var environment = TranslatorFixture.NameValues(fixture.App("front")["environment"], "value");

        Assert.Equal("https://voice.test.example", environment["WORKER_URL"]);
    }

    [Theory]
    [InlineData("{worker.bindings.http.host}", "voice.test.example")]
    [InlineData("{worker.bindings.http.port}", "443")]
    [InlineData("{worker.bindings.http.scheme}", "https")]
    [InlineData("wss://{worker.bindings.https.host}/media", "wss://voice.test.example/media")]
    [InlineData("{worker.bindings.http.targetPort}", "8080")]
    public void Binding_properties_resolve_to_the_load_balancer_address(string expression, string expected)
    {
        fixture.Resource("front")["env"]!["X"] = expression;

        Assert.Equal(expected, TranslatorFixture.NameValues(fixture.App("front")["environment"], "value")["X"]);
    }

    [Fact]
    public void The_container_port_comes_from_the_binding_target_port_when_there_is_one()
    {
        fixture.Resource("worker")["bindings"]!["http"]!["targetPort"] = 5000;
        fixture.Resource("worker")["bindings"]!["https"]!["targetPort"] = 5000;

        var app = fixture.App("worker");

        var mapping = Assert.Single(app["portMappings"]!.AsArray())!;
        Assert.Equal(5000, mapping["containerPort"]!.GetValue<int>());
        Assert.Equal("5000", TranslatorFixture.NameValues(app["environment"], "value")["HTTP_PORTS"]);
    }

    [Fact]
    public void Without_a_target_port_the_http_and_https_bindings_share_the_default_container_port()
    {
        var mapping = Assert.Single(fixture.App("worker")["portMappings"]!.AsArray())!;

        Assert.Equal(8080, mapping["containerPort"]!.GetValue<int>());
        Assert.Equal("http", mapping["name"]!.GetValue<string>());
        Assert.Equal("http", mapping["appProtocol"]!.GetValue<string>());
    }

    [Fact]
    public void A_non_secret_parameter_takes_the_environment_value_over_the_manifest_default()
    {
        Assert.Equal("eu-west-1", TranslatorFixture.NameValues(fixture.App("worker")["environment"], "value")["Region"]);

        fixture.Environment["parameters"]!["region"] = "us-west-2";

        Assert.Equal("us-west-2", TranslatorFixture.NameValues(fixture.App("worker")["environment"], "value")["Region"]);
    }

    [Fact]
    public void A_parameter_without_any_value_stops_the_translation_naming_where_to_set_it()
    {
        fixture.Resource("region")["inputs"]!["value"]!.AsObject().Remove("default");

        var error = fixture.TranslationError();

        Assert.Contains("Resource 'worker', field 'env.Region'", error);
        Assert.Contains("set parameters.region", error);
    }

    [Fact]
    public void Value_resources_and_connection_strings_resolve_through_each_other()
    {
        fixture.Manifest["resources"]!["endpoint"] = JsonNode.Parse("""
            { "type": "value.v0", "connectionString": "Endpoint={worker.bindings.https.url};Region={region.value}" }
            """);
        fixture.Resource("front")["env"]!["ConnectionStrings__endpoint"] = "{endpoint.connectionString}";

        var environment = TranslatorFixture.NameValues(fixture.App("front")["environment"], "value");

        Assert.Equal("Endpoint=https://voice.test.example;Region=eu-west-1", environment["ConnectionStrings__endpoint"]);
    }

    [Fact]
    public void A_secret_reached_through_a_value_resource_still_goes_to_secrets()
    {
        fixture.Manifest["resources"]!["token-alias"] = JsonNode.Parse("""{ "type": "value.v0", "value": "{auth-token.value}" }""");
        fixture.Resource("front")["env"]!["Token"] = "{token-alias.value}";

        var app = fixture.App("front");

        Assert.Equal("${auth_token_secret_arn}", TranslatorFixture.NameValues(app["secrets"], "valueFrom")["Token"]);
        Assert.DoesNotContain("Token", TranslatorFixture.NameValues(app["environment"], "value").Keys);
    }

    [Theory]
    [InlineData("{nowhere.value}", "'nowhere', which is not a resource")]
    [InlineData("{worker.bindings.grpc.url}", "has no binding 'grpc'")]
    [InlineData("{worker.bindings.http.nonsense}", "cannot be resolved")]
    [InlineData("{worker.env.X}", "cannot be resolved")]
    [InlineData("{region.inputs.other}", "has no input 'other'")]
    [InlineData("prefix-{region.value", "never closed")]
    [InlineData("{just some text}", "is not a resource reference")]
    [InlineData("a}b", "without its '{'")]
    public void Unresolvable_expressions_stop_the_translation_naming_the_resource_and_field(string expression, string problem)
    {
        fixture.Resource("front")["env"]!["BROKEN"] = expression;

        var error = fixture.TranslationError();

        Assert.Contains("Resource 'front', field 'env.BROKEN'", error);
        Assert.Contains(problem, error);
    }

    [Fact]
    public void A_value_that_refers_to_itself_stops_the_translation()
    {
        fixture.Manifest["resources"]!["loop"] = JsonNode.Parse("""{ "type": "value.v0", "value": "x{loop.value}" }""");
        fixture.Resource("front")["env"]!["LOOP"] = "{loop.value}";

        Assert.Contains("refers to itself", fixture.TranslationError());
    }

    [Fact]
    public void An_internal_binding_cannot_be_reached_and_stops_the_translation()
    {
        fixture.Resource("worker")["bindings"]!["https"]!["external"] = false;

        var error = fixture.TranslationError();

        Assert.Contains("Resource 'front', field 'env.WORKER_URL'", error);
        Assert.Contains("internal binding", error);
    }

    [Theory]
    [InlineData("container.v0")]
    [InlineData("dockerfile.v0")]
    [InlineData("azure.bicep.v0")]
    [InlineData("project.v1")]
    public void An_unsupported_resource_type_stops_the_translation_naming_the_resource(string type)
    {
        fixture.Manifest["resources"]!["cache"] = new JsonObject { ["type"] = type, ["image"] = "redis:7" };

        var error = fixture.TranslationError();

        Assert.Contains("Resource 'cache', field 'type'", error);
        Assert.Contains(type, error);
    }

    [Fact]
    public void An_unknown_project_field_stops_the_translation()
    {
        fixture.Resource("worker")["volumes"] = new JsonArray();

        Assert.Contains("Resource 'worker', field 'volumes'", fixture.TranslationError());
    }

    [Theory]
    [InlineData("scheme", "tcp", "bindings.http.scheme")]
    [InlineData("protocol", "udp", "bindings.http.protocol")]
    [InlineData("transport", "http3", "bindings.http.transport")]
    public void A_binding_the_load_balancer_cannot_serve_stops_the_translation(string field, string value, string named)
    {
        fixture.Resource("worker")["bindings"]!["http"]![field] = value;

        Assert.Contains($"Resource 'worker', field '{named}'", fixture.TranslationError());
    }

    [Theory]
    [InlineData("worker", 1024, 1024, "services.worker.memory")]
    [InlineData("worker", 1000, 2048, "services.worker.cpu")]
    [InlineData("front", 256, 4096, "services.front.memory")]
    public void A_size_outside_the_Fargate_matrix_stops_the_translation(string service, int cpu, int memory, string field)
    {
        fixture.Environment["services"]![service] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory };

        Assert.Contains($"field '{field}'", fixture.TranslationError());
    }

    [Fact]
    public void A_project_without_sizing_stops_the_translation()
    {
        fixture.Environment["services"]!.AsObject().Remove("front");

        Assert.Contains("field 'services.front'", fixture.TranslationError());
    }

    [Fact]
    public void Sizing_for_a_service_the_manifest_does_not_have_is_refused()
    {
        fixture.Environment["services"]!["ghost"] = new JsonObject { ["cpu"] = 256, ["memory"] = 512 };

        Assert.Contains("field 'services.ghost'", fixture.TranslationError());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(121)]
    public void A_stop_timeout_Fargate_does_not_allow_is_refused(int seconds)
    {
        fixture.Environment["services"]!["worker"]!["stopTimeout"] = seconds;

        Assert.Contains("field 'services.worker.stopTimeout'", fixture.TranslationError());
    }

    [Fact]
    public void The_stop_timeout_reaches_the_app_container()
    {
        Assert.Equal(120, fixture.App("worker")["stopTimeout"]!.GetValue<int>());
        Assert.Equal(30, fixture.App("front")["stopTimeout"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(120, "00:01:25")]
    [InlineData(35, "00:00:00")]
    public void The_media_workers_drain_ends_in_time_for_its_goodbyes_before_ECS_kills_it(int stopTimeout, string drain)
    {
        fixture.UseTheMediaWorkerName();
        fixture.Environment["services"]!["media-worker"]!["stopTimeout"] = stopTimeout;

        Assert.Equal(drain, TranslatorFixture.NameValues(fixture.App("media-worker")["environment"], "value")["Calls__DrainTimeout"]);
        Assert.DoesNotContain("Calls__DrainTimeout", TranslatorFixture.NameValues(fixture.App("front")["environment"], "value").Keys);
    }

    [Fact]
    public void A_stop_timeout_too_short_for_the_media_workers_shutdown_is_refused()
    {
        fixture.UseTheMediaWorkerName();
        fixture.Environment["services"]!["media-worker"]!["stopTimeout"] = 34;

        Assert.Contains("field 'services.media-worker.stopTimeout'", fixture.TranslationError());
    }

    [Fact]
    public void The_app_sends_OTLP_to_a_collector_sidecar_it_starts_after()
    {
        var definition = fixture.TaskDefinition("worker");
        var containers = definition["containerDefinitions"]!.AsArray();
        var app = containers[0]!;
        var collector = containers[1]!;

        Assert.Equal("otel-collector", collector["name"]!.GetValue<string>());
        Assert.Equal("collector:1", collector["image"]!.GetValue<string>());
        Assert.Equal(["/healthcheck"], collector["healthCheck"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        var dependency = Assert.Single(app["dependsOn"]!.AsArray())!;
        Assert.Equal("otel-collector", dependency["containerName"]!.GetValue<string>());
        Assert.Equal("START", dependency["condition"]!.GetValue<string>());
        var environment = TranslatorFixture.NameValues(app["environment"], "value");
        Assert.Equal("http://localhost:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("worker", environment["OTEL_SERVICE_NAME"]);
        var config = TranslatorFixture.NameValues(collector["environment"], "value")["AOT_CONFIG_CONTENT"];
        Assert.Contains("namespace: Bridge/test", config);
        Assert.Contains("log_group_name: /ecs/bridge-test/worker", config);
    }

    [Fact]
    public void Containers_log_to_CloudWatch_with_awslogs_without_blocking()
    {
        var logging = fixture.App("worker")["logConfiguration"]!;

        Assert.Equal("awslogs", logging["logDriver"]!.GetValue<string>());
        Assert.Equal("/ecs/bridge-test/worker", logging["options"]!["awslogs-group"]!.GetValue<string>());
        Assert.Equal("${region}", logging["options"]!["awslogs-region"]!.GetValue<string>());
        Assert.Equal("non-blocking", logging["options"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public void The_load_balancer_settings_are_added_for_every_service()
    {
        var environment = TranslatorFixture.NameValues(fixture.App("front")["environment"], "value");

        Assert.Equal("10.9.0.0/16", environment["Bridge__TrustedProxies__0"]);
        Assert.Equal("https://voice.test.example", environment["Bridge__PublicBaseUrl"]);
    }

    [Fact]
    public void A_literal_that_templatefile_would_read_as_a_placeholder_is_refused()
    {
        fixture.Resource("front")["env"]!["TEMPLATE"] = "cost: ${price}";

        Assert.Contains("Resource 'front', field 'env.TEMPLATE'", fixture.TranslationError());
    }

    [Fact]
    public void Project_arguments_become_the_container_command()
    {
        fixture.Resource("front")["args"] = new JsonArray("--region", "{region.value}");

        Assert.Equal(["--region", "eu-west-1"], fixture.App("front")["command"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void A_secret_as_a_project_argument_is_refused()
    {
        fixture.Resource("front")["args"] = new JsonArray("--token", "{auth-token.value}");

        Assert.Contains("Resource 'front', field 'args[1]'", fixture.TranslationError());
    }

    [Fact]
    public void The_app_runs_as_the_non_root_user_on_a_read_only_root_filesystem()
    {
        var app = fixture.App("worker");

        Assert.Equal("1654", app["user"]!.GetValue<string>());
        Assert.True(app["readonlyRootFilesystem"]!.GetValue<bool>());
        Assert.Equal("/tmp", app["mountPoints"]![0]!["containerPath"]!.GetValue<string>());
    }

    [Fact]
    public void An_unknown_field_in_the_environment_file_is_refused()
    {
        fixture.Environment["services"]!["worker"]!["memmory"] = 4096;

        var error = fixture.TranslationError();

        Assert.Contains(TranslatorFixture.EnvironmentSource, error);
        Assert.Contains("field 'services.worker.memmory'", error);
    }

    [Theory]
    [InlineData("publicBaseUrl", "http://voice.test.example")]
    [InlineData("publicBaseUrl", "https://voice.test.example/bridge")]
    [InlineData("vpcCidr", "10.9.0.0")]
    [InlineData("name", "Test")]
    [InlineData("cpuArchitecture", "ARM")]
    public void Environment_settings_that_would_break_the_deployment_are_refused(string field, string value)
    {
        fixture.Environment[field] = value;

        Assert.Contains($"field '{field}'", fixture.TranslationError());
    }

    [Fact]
    public void A_collector_that_would_take_all_of_the_task_memory_is_refused()
    {
        fixture.Environment["collector"]!["memoryReservation"] = 512;

        Assert.Contains("field 'collector.memoryReservation'", fixture.TranslationError());
    }
}
