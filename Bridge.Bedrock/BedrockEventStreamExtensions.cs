using Bridge.Bedrock;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class BedrockEventStreamExtensions
{
    /// <summary>
    /// Binds and validates (at start) the <c>Bedrock</c> section and registers <see cref="BedrockEventStreamClient"/>
    /// with its own HTTP/2 connection pool and AWSSDK.Core's default credential chain.
    /// </summary>
    public static TBuilder AddBedrockEventStream<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<BedrockOptions>(builder.Configuration, BedrockOptions.SectionName);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IBedrockCredentialSource, DefaultChainCredentialSource>();
        builder.Services.TryAddSingleton(sp => new BedrockTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.TryAddSingleton(sp => new BedrockEventStreamClient(
            new HttpMessageInvoker(BedrockHttp.CreateHandler()),
            sp.GetRequiredService<IBedrockCredentialSource>(),
            sp.GetRequiredService<IOptions<BedrockOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<BedrockTelemetry>()));
        return builder;
    }
}
