namespace Bridge.Deploy.TaskDefinitions.TaskDefinitions;

/// <summary>
/// What the generated files leave to OpenTofu, which renders them with <c>templatefile()</c>: the image tag and
/// the roles exist only once the infrastructure does. Secret ARN placeholders come from the environment file.
/// </summary>
public static class TemplatePlaceholders
{
    public const string Image = "${image}";
    public const string TaskRoleArn = "${task_role_arn}";
    public const string ExecutionRoleArn = "${execution_role_arn}";
    public const string Region = "${region}";

    /// <summary>True when the text would be taken for a template directive by <c>templatefile()</c>.</summary>
    public static bool LooksLikeTemplateSyntax(string text) =>
        text.Contains("${", StringComparison.Ordinal) || text.Contains("%{", StringComparison.Ordinal);
}
