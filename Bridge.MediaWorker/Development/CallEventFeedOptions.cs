using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Development;

/// <summary>
/// Section <c>Development</c>. <c>CallEvents</c> turns on the call event feed (what the caller and the assistant
/// said, per call) for the local softphone. It shows what callers say, so it exists only in the Development
/// environment and only when asked for; the AppHost asks for it in local runs, never in the published manifest.
/// </summary>
public sealed class CallEventFeedOptions
{
    public const string SectionName = "Development";

    public bool CallEvents { get; set; }
}

/// <summary>Refuses the feed outside Development, so a copied setting cannot expose callers' words in production.</summary>
internal sealed class CallEventFeedOptionsValidator(IHostEnvironment environment) : IValidateOptions<CallEventFeedOptions>
{
    public ValidateOptionsResult Validate(string? name, CallEventFeedOptions options) =>
        options.CallEvents && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail($"Development:CallEvents is allowed only in the Development environment (this is {environment.EnvironmentName}): the feed shows what callers say.")
            : ValidateOptionsResult.Success;
}
