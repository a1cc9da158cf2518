using Bridge.Agents;
using Bridge.Agents.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bridge.HttpTools;

/// <summary>Every HTTP tool of the profiles has its secret, and any URL override is one a tool may use, at start.</summary>
internal sealed class HttpToolsValidation(AgentCatalogLoader profiles, IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<HttpToolsOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpToolsOptions options)
    {
        // The profiles as read, not through their validated options: a bad profile or setting is reported once, by
        // their own validation (so a value that does not convert is left out here, not thrown).
        var agents = new AgentsOptions();
        ConvertibleBinding.Bind(configuration.GetSection(AgentsOptions.SectionName), agents);
        if (profiles.Load(agents).Catalog is not { } catalog)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        foreach (var tool in catalog.Tools.Keys)
        {
            var settings = options.GetValueOrDefault(tool);
            var key = $"{HttpToolsOptions.SectionName}:{tool}";
            if (settings?.Secret is not { Length: >= HttpToolsOptions.MinimumSecretLength })
            {
                failures.Add($"{key}:Secret is required: at least {HttpToolsOptions.MinimumSecretLength} characters that sign the requests of tool '{tool}' (its backend checks them)");
            }
            if (settings?.Url is { } url)
            {
                ToolUrls.Check(url, environment.IsDevelopment(), message => failures.Add($"{key}:Url {message}"));
            }
        }
        foreach (var tool in options.Keys.Where(t => !catalog.Tools.ContainsKey(t)))
        {
            failures.Add($"{HttpToolsOptions.SectionName}:{tool} is set, but the profiles ({catalog.Source}) define no HTTP tool '{tool}'");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
