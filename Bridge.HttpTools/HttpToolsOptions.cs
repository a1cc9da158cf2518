namespace Bridge.HttpTools;

/// <summary>
/// Per-tool settings that must not live in the profile document: the signing secret, and optionally a URL that
/// replaces the profile's for this environment. Section <c>HttpTools</c>, keyed by tool name:
/// <c>HttpTools:order_status:Secret</c> (environment <c>HttpTools__order_status__Secret</c>; on ECS from Secrets Manager).
/// </summary>
public sealed class HttpToolsOptions : Dictionary<string, HttpToolSettings>
{
    public const string SectionName = "HttpTools";

    /// <summary>A secret shorter than this is refused: HMAC-SHA256 wants a key of at least 32 bytes of entropy.</summary>
    public const int MinimumSecretLength = 32;

    public HttpToolsOptions()
        : base(StringComparer.Ordinal)
    {
    }
}

public sealed class HttpToolSettings
{
    /// <summary>Signs every request to the tool's backend (HMAC-SHA256). Secret.</summary>
    public string? Secret { get; set; }

    /// <summary>Replaces the profile's <c>url</c> (a staging backend, a local port).</summary>
    public string? Url { get; set; }
}
