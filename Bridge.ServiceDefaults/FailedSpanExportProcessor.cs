using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs before the exporters: a recorded but unsampled span (see <see cref="FailedSpanSampler"/>) that ended with an
/// error status is marked sampled, so the exporters, which skip unsampled spans, export it. It is tagged
/// <c>bridge.sampled_on_failure</c>: its trace holds this span alone.
/// </summary>
internal sealed class FailedSpanExportProcessor(IReadOnlySet<string> alwaysExportWhenFailed) : BaseProcessor<Activity>
{
    public const string SampledOnFailureTag = "bridge.sampled_on_failure";

    public override void OnEnd(Activity data)
    {
        if (!data.Recorded && data.Status == ActivityStatusCode.Error && alwaysExportWhenFailed.Contains(data.OperationName))
        {
            data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
            data.SetTag(SampledOnFailureTag, true);
        }
    }
}
