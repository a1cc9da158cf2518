namespace Bridge.Agents.Sources;

public enum AgentsSourceKind
{
    File,
    SsmParameter,
    S3Object,
}

/// <summary>
/// Where the profile document is read at start (<c>Agents:Source</c>): <c>file:agents.json</c> (relative to the
/// content root), <c>ssm:/bridge/prod/agents</c> (an SSM parameter, SecureString allowed) or
/// <c>s3://bucket/key</c>.
/// </summary>
public sealed record AgentsSourceLocation(AgentsSourceKind Kind, string Path, string? Bucket = null)
{
    public const string Syntax = "file:<path>, ssm:<parameter name> or s3://<bucket>/<key>";

    public static AgentsSourceLocation? TryParse(string text)
    {
        if (text.StartsWith("file:", StringComparison.Ordinal) && text.Length > 5)
        {
            return new AgentsSourceLocation(AgentsSourceKind.File, text[5..]);
        }
        if (text.StartsWith("ssm:", StringComparison.Ordinal) && text.Length > 4 && !text[4..].Any(char.IsWhiteSpace))
        {
            return new AgentsSourceLocation(AgentsSourceKind.SsmParameter, text[4..]);
        }
        if (text.StartsWith("s3://", StringComparison.Ordinal))
        {
            var rest = text[5..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && slash < rest.Length - 1)
            {
                return new AgentsSourceLocation(AgentsSourceKind.S3Object, rest[(slash + 1)..], rest[..slash]);
            }
        }
        return null;
    }

    public override string ToString() => Kind switch
    {
        AgentsSourceKind.File => "file:" + Path,
        AgentsSourceKind.SsmParameter => "ssm:" + Path,
        _ => $"s3://{Bucket}/{Path}",
    };
}
