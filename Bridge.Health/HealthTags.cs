namespace Microsoft.Extensions.Hosting;

/// <summary>The tags that put a health check on <c>/health/liveness</c> or <c>/health/readiness</c>.</summary>
public static class HealthTags
{
    /// <summary>The process answers: liveness (and readiness).</summary>
    public const string Live = "live";

    /// <summary>The service can take work: readiness only.</summary>
    public const string Ready = "ready";
}
