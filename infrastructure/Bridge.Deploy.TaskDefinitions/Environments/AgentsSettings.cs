using System.Text.RegularExpressions;

namespace Bridge.Deploy.TaskDefinitions.Environments;

/// <summary>
/// The environment's agent profiles (docs/agents.md): the document OpenTofu stores (an SSM parameter or an S3 object,
/// both services' task roles allowed to read it) and the HTTP tools whose signing secrets it creates in Secrets
/// Manager for the media worker.
/// </summary>
public sealed partial class AgentsSettings
{
    public const string SsmStore = "ssm";
    public const string S3Store = "s3";

    /// <summary>The placeholder OpenTofu fills with the agents bucket's name (store <c>s3</c>).</summary>
    public const string BucketPlaceholder = "${agents_bucket}";

    /// <summary>The object's key in the agents bucket.</summary>
    public const string ObjectKey = "agents.json";

    /// <summary>The profile document, relative to deployment.json's folder; OpenTofu uploads it.</summary>
    public string? Document { get; init; }

    /// <summary><c>ssm</c> (a parameter: up to 8 KB) or <c>s3</c> (an object: up to 1 MB).</summary>
    public string Store { get; init; } = SsmStore;

    /// <summary>The document's HTTP tools: each gets a Secrets Manager secret, <c>HttpTools__&lt;tool&gt;__Secret</c> in the worker.</summary>
    public List<string> HttpTools { get; init; } = [];

    /// <summary>What both services read at start (<c>Agents:Source</c>).</summary>
    public string SourceFor(string environmentName) => Store == S3Store
        ? $"s3://{BucketPlaceholder}/{ObjectKey}"
        : $"ssm:/bridge-{environmentName}/agents";

    /// <summary>The placeholder OpenTofu fills with the ARN of <paramref name="tool"/>'s secret (modules/bridge).</summary>
    public static string SecretPlaceholder(string tool) => $"${{http_tool_{tool}_secret_arn}}";

    internal void Validate(DeploymentEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(Document) || Path.IsPathRooted(Document) || Document.Split('/', '\\').Contains(".."))
        {
            throw environment.Error("agents.document", "must name the profile document next to deployment.json, such as agents.json.");
        }
        if (Store is not (SsmStore or S3Store))
        {
            throw environment.Error("agents.store", $"is '{Store}'; it must be ssm (a parameter, up to 8 KB) or s3 (an object, up to 1 MB).");
        }
        foreach (var tool in HttpTools)
        {
            if (!ToolName().IsMatch(tool))
            {
                throw environment.Error("agents.httpTools",
                    $"'{tool}' must be lower-case letters, digits and _ (starting with a letter) to be deployed: it names a secret and a placeholder.");
            }
        }
        if (HttpTools.Distinct(StringComparer.Ordinal).Count() != HttpTools.Count)
        {
            throw environment.Error("agents.httpTools", "names a tool twice.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex ToolName();
}
