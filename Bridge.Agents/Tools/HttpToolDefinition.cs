using Json.Schema;

namespace Bridge.Agents.Tools;

/// <summary>
/// A tool served by the deployer's own backend: the model's input, checked against <see cref="InputSchema"/>, is
/// POSTed (signed) to <see cref="Url"/>, and the response body becomes the tool result.
/// </summary>
public sealed record HttpToolDefinition
{
    public const int DefaultMaxResponseBytes = 16 * 1024;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public required string Name { get; init; }

    /// <summary>What the model is told the tool does and when to use it.</summary>
    public required string Description { get; init; }

    /// <summary>The input's JSON Schema as written, given to the model.</summary>
    public required string InputSchemaJson { get; init; }

    /// <summary>The same schema, compiled: the model's input is validated against it before any request.</summary>
    public required JsonSchema InputSchema { get; init; }

    public required Uri Url { get; init; }

    /// <summary>How long the model's question may wait for the backend, retries included.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The backend is idempotent: a failed attempt may be repeated within <see cref="Timeout"/>.</summary>
    public bool Retry { get; init; }

    /// <summary>
    /// A barge-in (the caller talking over the model) cancels the call while it is pending: its request is aborted
    /// and the model is told the caller interrupted. A caller who cuts in has usually changed the request; a slow
    /// lookup the caller waits for through small talk can set it false.
    /// </summary>
    public bool CancelOnBargeIn { get; init; } = true;

    /// <summary>A larger response is not passed to the model.</summary>
    public int MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;
}
