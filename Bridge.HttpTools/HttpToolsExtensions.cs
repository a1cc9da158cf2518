using Bridge.HttpTools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class HttpToolsExtensions
{
    /// <summary>
    /// Registers <see cref="HttpToolRunner"/> with its own HttpClient (<see cref="HttpToolClient"/>: the runner's
    /// pipeline retries only idempotent tools), and validates the <c>HttpTools</c> section at start against the
    /// agent profiles (call <c>AddAgentProfiles</c> too).
    /// </summary>
    public static TBuilder AddHttpTools<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<HttpToolsOptions>()
            .Bind(builder.Configuration.GetSection(HttpToolsOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HttpToolsOptions>, HttpToolsValidation>();
        builder.Services.TryAddSingleton<HttpToolClient>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<HttpToolTelemetry>();
        builder.Services.TryAddSingleton<HttpToolRunner>();
        return builder;
    }
}
