using Microsoft.Extensions.Options;

namespace Bridge.Security.RateLimits;

/// <summary>Checks one limit's settings at start, naming the key (<c>RateLimits:Webhooks:Burst</c>) in each failure.</summary>
internal sealed class ClientRateLimitValidation(ClientRateLimit limit) : IValidateOptions<ClientRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientRateLimitOptions options)
    {
        if (name != limit.PolicyName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (options.PermitsPerSecond is < 1 or > ClientRateLimitOptions.MaxPermitsPerSecond)
        {
            failures.Add($"{limit.SectionName}:PermitsPerSecond must be between 1 and {ClientRateLimitOptions.MaxPermitsPerSecond}.");
        }
        if (options.Burst is < 1 or > ClientRateLimitOptions.MaxBurst)
        {
            failures.Add($"{limit.SectionName}:Burst must be between 1 and {ClientRateLimitOptions.MaxBurst}.");
        }
        else if (options.Burst < options.PermitsPerSecond)
        {
            // The bucket never holds more than Burst, so a smaller burst would quietly cap the rate too.
            failures.Add($"{limit.SectionName}:Burst must be at least {limit.SectionName}:PermitsPerSecond ({options.PermitsPerSecond}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
