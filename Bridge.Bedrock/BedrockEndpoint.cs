namespace Bridge.Bedrock;

/// <summary>Chooses the Bedrock Runtime base address the way the AWS SDKs do.</summary>
public static class BedrockEndpoint
{
    public const string ServiceEnvironmentVariable = "AWS_ENDPOINT_URL_BEDROCK_RUNTIME";
    public const string GlobalEnvironmentVariable = "AWS_ENDPOINT_URL";

    /// <summary>
    /// The configured override, else <c>AWS_ENDPOINT_URL_BEDROCK_RUNTIME</c>, else <c>AWS_ENDPOINT_URL</c>, else
    /// <c>https://bedrock-runtime.{region}.amazonaws.com</c>.
    /// </summary>
    public static Uri Resolve(Uri? configured, string region, Func<string, string?> environment)
    {
        if (configured is not null)
        {
            return configured;
        }

        foreach (var variable in (ReadOnlySpan<string>)[ServiceEnvironmentVariable, GlobalEnvironmentVariable])
        {
            var value = environment(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return Uri.TryCreate(value, UriKind.Absolute, out var uri)
                    ? uri
                    : throw new InvalidOperationException($"{variable} '{value}' is not an absolute URL.");
            }
        }

        return new Uri($"https://bedrock-runtime.{region}.amazonaws.com");
    }

    /// <summary>The request path; the model id is URL-encoded once here (':' becomes %3A).</summary>
    public static string InvokePath(string modelId) =>
        $"/model/{Uri.EscapeDataString(modelId)}/invoke-with-bidirectional-stream";
}
