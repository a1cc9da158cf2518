using System.ComponentModel.DataAnnotations;

namespace Bridge.Agents;

/// <summary>Where the agent profiles come from. Section <c>Agents</c>.</summary>
public sealed class AgentsOptions
{
    public const string SectionName = "Agents";

    /// <summary>
    /// <c>file:agents.json</c> (relative to the content root), <c>ssm:/name</c> or <c>s3://bucket/key</c>. Not set:
    /// no profiles; every call gets the worker's <c>Conversation:*</c> agent.
    /// </summary>
    public string? Source { get; set; }

    /// <summary>How long reading the document at start may take (an SSM or S3 read).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Agents:LoadTimeout must be between 1 second and 5 minutes.")]
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
