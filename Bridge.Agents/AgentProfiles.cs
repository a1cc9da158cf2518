using System.ComponentModel.DataAnnotations;
using Bridge.Agents.Profiles;
using Bridge.Agents.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Agents;

/// <summary>
/// The agent profiles of this service, read once at start from <c>Agents:Source</c> and validated then: a bad
/// document stops the service with one line per problem (see <see cref="AgentProfilesValidation"/>).
/// </summary>
public sealed class AgentProfiles(IOptions<AgentsOptions> options, AgentCatalogLoader loader)
{
    /// <summary>The validated profiles; null when <c>Agents:Source</c> is not set (every call gets the configured agent).</summary>
    public AgentCatalog? Catalog => loader.Load(options.Value).Catalog;
}

/// <summary>Reads the profile document once; its options come from the caller, as the options' own validation uses it.</summary>
public sealed partial class AgentCatalogLoader(IHostEnvironment environment, AgentsDocumentSources sources, ILogger<AgentCatalogLoader> logger)
{
    private readonly Lock _gate = new();
    private AgentCatalogRead? _read;

    /// <summary>Reads and validates the document the first time it is asked for; later calls return that result.</summary>
    public AgentCatalogRead Load(AgentsOptions settings)
    {
        lock (_gate)
        {
            return _read ??= Read(settings);
        }
    }

    private AgentCatalogRead Read(AgentsOptions settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Source))
        {
            return new AgentCatalogRead(null, []);
        }
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), null, validateAllProperties: true))
        {
            // Reading with them could fail in ways that name no key (a negative Agents:LoadTimeout throws); their own
            // rules report them, each in one line, and the service stops before it needs the profiles.
            return new AgentCatalogRead(null, []);
        }
        if (AgentsSourceLocation.TryParse(settings.Source) is not { } location)
        {
            return new AgentCatalogRead(null, [$"Agents:Source '{settings.Source}' must be {AgentsSourceLocation.Syntax}"]);
        }

        string json;
        try
        {
            // Start-up only, before the host serves anything: nothing else waits on this thread.
            using var timeout = new CancellationTokenSource(settings.LoadTimeout);
            json = sources.ReadAsync(location, environment.ContentRootPath, timeout.Token).GetAwaiter().GetResult();
        }
        catch (AgentsSourceException e)
        {
            return new AgentCatalogRead(null, [$"Agents:Source {location}: {e.Message}"]);
        }
        catch (OperationCanceledException)
        {
            return new AgentCatalogRead(null, [$"Agents:Source {location}: not read within Agents:LoadTimeout ({settings.LoadTimeout:c})"]);
        }

        var baseDirectory = location.Kind == AgentsSourceKind.File
            ? Path.GetDirectoryName(Path.GetFullPath(Path.Combine(environment.ContentRootPath, location.Path)))!
            : environment.ContentRootPath;
        var read = AgentDocumentReader.Read(json, new AgentDocumentContext(location.ToString(), baseDirectory, environment.IsDevelopment()));
        if (read.Catalog is { } catalog)
        {
            LogLoaded(catalog.Agents.Count, catalog.Source, catalog.Default.Name, catalog.Tools.Count);
        }
        return read;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent profiles: {Agents} agents from {Source} (default {Default}), {Tools} HTTP tools")]
    private partial void LogLoaded(int agents, string source, string @default, int tools);
}

/// <summary>Reports every problem of the profile document as a start-up validation failure, one line each.</summary>
internal sealed class AgentProfilesValidation(AgentCatalogLoader loader) : IValidateOptions<AgentsOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentsOptions options)
    {
        var read = loader.Load(options);
        return read.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(read.Errors);
    }
}
