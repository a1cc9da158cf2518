using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class TraceSamplingExtensions
{
    /// <summary>
    /// Exports every span named <paramref name="spanName"/> that ends with an error status, even when its trace was not
    /// sampled (for the media worker, each failed call).
    /// </summary>
    public static TBuilder AlwaysExportWhenFailed<TBuilder>(this TBuilder builder, string spanName) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<TraceSamplingOptions>(options => options.AlwaysExportWhenFailed.Add(spanName));
        return builder;
    }

    /// <summary><c>Telemetry:TraceSampleRatio</c>: 1 in Development, 0.1 elsewhere unless configured; validated at start.</summary>
    internal static void AddTraceSamplingOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TraceSamplingOptions>().Configure(options =>
            options.TraceSampleRatio = builder.Environment.IsDevelopment() ? 1.0 : TraceSamplingOptions.ProductionTraceSampleRatio);
        builder.Services.AddValidatedOptions<TraceSamplingOptions>(builder.Configuration, TraceSamplingOptions.SectionName);
    }

    /// <summary>
    /// Parent-based sampling at <c>Telemetry:TraceSampleRatio</c>, and spans registered with
    /// <see cref="AlwaysExportWhenFailed{TBuilder}"/> exported whenever they fail.
    /// </summary>
    internal static TracerProviderBuilder AddTraceSampling(this TracerProviderBuilder tracing) =>
        tracing
            .SetSampler(services =>
            {
                var options = services.GetRequiredService<IOptions<TraceSamplingOptions>>().Value;
                return new FailedSpanSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)), options.AlwaysExportWhenFailed);
            })
            .AddProcessor(services => new FailedSpanExportProcessor(
                services.GetRequiredService<IOptions<TraceSamplingOptions>>().Value.AlwaysExportWhenFailed));
}
