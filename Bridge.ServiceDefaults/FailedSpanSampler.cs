using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Samples as <paramref name="inner"/> does, except that a span named in <paramref name="alwaysExportWhenFailed"/>
/// that would be dropped is recorded without being sampled (RecordOnly): its data is kept, so that
/// <see cref="FailedSpanExportProcessor"/> can still export it if it fails. Its children are not recorded.
/// </summary>
internal sealed class FailedSpanSampler(Sampler inner, IReadOnlySet<string> alwaysExportWhenFailed) : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var result = inner.ShouldSample(samplingParameters);
        return result.Decision == SamplingDecision.Drop && alwaysExportWhenFailed.Contains(samplingParameters.Name)
            ? new SamplingResult(SamplingDecision.RecordOnly)
            : result;
    }
}
