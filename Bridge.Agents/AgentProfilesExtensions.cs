using Bridge.Agents;
using Bridge.Agents.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class AgentProfilesExtensions
{
    /// <summary>
    /// Binds <c>Agents</c> and registers <see cref="AgentProfiles"/>, read and validated when the host starts, so that a
    /// bad profile stops the service with one line naming the agent and the field.
    /// </summary>
    public static TBuilder AddAgentProfiles<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<AgentsOptions>().BindValidated(builder.Configuration.GetSection(AgentsOptions.SectionName));
        builder.Services.AddSingleton<IValidateOptions<AgentsOptions>, AgentProfilesValidation>();
        builder.Services.TryAddSingleton<AgentsDocumentSources>();
        builder.Services.TryAddSingleton<AgentCatalogLoader>();
        builder.Services.TryAddSingleton<AgentProfiles>();
        return builder;
    }
}
