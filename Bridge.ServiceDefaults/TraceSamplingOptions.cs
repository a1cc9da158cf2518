using System.ComponentModel.DataAnnotations;

namespace Microsoft.Extensions.Hosting;

/// <summary>How many traces are exported. Section <c>Telemetry</c>.</summary>
public sealed class TraceSamplingOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Outside Development, a tenth of the traces (and every failed call) are exported unless configured.</summary>
    public const double ProductionTraceSampleRatio = 0.1;

    /// <summary>
    /// The share of new traces exported (by trace id); a span whose parent was sampled is sampled too. Defaults to 1 in
    /// Development and <see cref="ProductionTraceSampleRatio"/> elsewhere.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Telemetry:TraceSampleRatio must be between 0 and 1.")]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>
    /// Names of spans that are exported whenever they end with an error status, sampled or not (a service adds its
    /// own with <c>AlwaysExportWhenFailed</c>).
    /// </summary>
    public HashSet<string> AlwaysExportWhenFailed { get; } = new(StringComparer.Ordinal);
}
