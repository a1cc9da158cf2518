namespace Bridge.Deploy.TaskDefinitions.Manifest;

/// <summary>What a manifest value becomes: plain text, or a reference to a secret parameter whose value never leaves Secrets Manager.</summary>
public abstract record ResolvedValue
{
    private ResolvedValue() { }

    public sealed record Text(string Value) : ResolvedValue;

    public sealed record SecretParameter(string ParameterName) : ResolvedValue;
}
