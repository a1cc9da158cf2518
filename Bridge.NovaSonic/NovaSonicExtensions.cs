using Bridge.NovaSonic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class NovaSonicExtensions
{
    /// <summary>
    /// Registers the Bedrock event stream (<see cref="BedrockEventStreamExtensions.AddBedrockEventStream"/>), binds and
    /// validates at start the <c>Conversation</c> section, and registers <see cref="NovaSonicSessionFactory"/> with the
    /// process-wide stream-opening pipeline.
    /// </summary>
    public static TBuilder AddNovaSonic<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBedrockEventStream();
        builder.Services.AddValidatedOptions<NovaSonicOptions>(builder.Configuration, NovaSonicOptions.SectionName);

        builder.Services.TryAddSingleton(new NovaOpeningPolicy());
        builder.Services.TryAddSingleton(sp => new NovaStreamOpening(sp.GetRequiredService<NovaOpeningPolicy>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<NovaSonicSessionFactory>();
        return builder;
    }
}
