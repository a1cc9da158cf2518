using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions;
using Bridge.Deploy.TaskDefinitions.Environments;
using Bridge.Deploy.TaskDefinitions.Manifest;
using Bridge.Deploy.TaskDefinitions.TaskDefinitions;

namespace Bridge.Tests.Infrastructure;

/// <summary>A small manifest and environment file in the shape of the real ones, for each test to bend.</summary>
internal sealed class TranslatorFixture
{
    public const string EnvironmentSource = "environments/test/deployment.json";

    public JsonObject Manifest { get; } = JsonNode.Parse("""
        {
          "resources": {
            "auth-token": {
              "type": "parameter.v0",
              "value": "{auth-token.inputs.value}",
              "inputs": { "value": { "type": "string", "secret": true, "default": { "generate": { "minLength": 32 } } } }
            },
            "region": {
              "type": "parameter.v0",
              "value": "{region.inputs.value}",
              "inputs": { "value": { "type": "string", "default": { "value": "eu-west-1" } } }
            },
            "worker": {
              "type": "project.v0",
              "path": "Worker/Worker.csproj",
              "env": {
                "HTTP_PORTS": "{worker.bindings.http.targetPort}",
                "Auth__Token": "{auth-token.value}",
                "Region": "{region.value}"
              },
              "bindings": {
                "http": { "scheme": "http", "protocol": "tcp", "transport": "http", "external": true },
                "https": { "scheme": "https", "protocol": "tcp", "transport": "http", "external": true }
              }
            },
            "front": {
              "type": "project.v0",
              "path": "Front/Front.csproj",
              "env": {
                "WORKER_URL": "{worker.bindings.https.url}"
              },
              "bindings": {
                "http": { "scheme": "http", "protocol": "tcp", "transport": "http", "external": true }
              }
            }
          }
        }
        """)!.AsObject();

    public JsonObject Environment { get; } = JsonNode.Parse("""
        {
          "name": "test",
          "publicBaseUrl": "https://voice.test.example",
          "vpcCidr": "10.9.0.0/16",
          "logGroupPrefix": "/ecs/bridge-test",
          "metricsNamespace": "Bridge/test",
          "parameters": {},
          "secrets": { "auth-token": "${auth_token_secret_arn}" },
          "collector": { "image": "collector:1" },
          "services": {
            "worker": { "cpu": 1024, "memory": 2048, "stopTimeout": 120 },
            "front": { "cpu": 256, "memory": 512 }
          }
        }
        """)!.AsObject();

    public JsonObject Resource(string name) => Manifest["resources"]![name]!.AsObject();

    /// <summary>Renames the fixture's "worker" to the real worker's project name, which alone gets the worker's deployment settings.</summary>
    public void UseTheMediaWorkerName()
    {
        var worker = Resource("worker").DeepClone();
        Manifest["resources"]!.AsObject().Remove("worker");
        worker["env"]!["HTTP_PORTS"] = "{media-worker.bindings.http.targetPort}";
        Manifest["resources"]!["media-worker"] = worker;
        Resource("front")["env"]!["WORKER_URL"] = "{media-worker.bindings.https.url}";
        var sizing = Environment["services"]!["worker"]!.DeepClone();
        Environment["services"]!.AsObject().Remove("worker");
        Environment["services"]!["media-worker"] = sizing;
    }

    public IReadOnlyList<GeneratedTaskDefinition> Translate() =>
        TaskDefinitionTranslator.Translate(
            AspireManifest.Parse(Manifest.ToJsonString()),
            DeploymentEnvironment.Parse(Environment.ToJsonString(), EnvironmentSource));

    public JsonObject TaskDefinition(string service) => Translate().Single(t => t.Service == service).Definition;

    public JsonObject App(string service) => TaskDefinition(service)["containerDefinitions"]![0]!.AsObject();

    public string TranslationError() => Assert.Throws<TranslationException>(Translate).Message;

    public static Dictionary<string, string> NameValues(JsonNode? array, string valueField) =>
        array!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e![valueField]!.GetValue<string>());
}
