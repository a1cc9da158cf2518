using Bridge.Security.RateLimits;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Security;

public sealed class ClientRateLimitSettingsTests
{
    [Fact]
    public void Without_settings_each_limit_has_its_documented_defaults()
    {
        var options = Resolve(new());

        Assert.Equal((50, 500), Read(options, ClientRateLimit.Webhooks));
        Assert.Equal((20, 200), Read(options, ClientRateLimit.MediaStreams));
    }

    [Fact]
    public void Settings_override_one_limit_without_touching_the_other()
    {
        var options = Resolve(new() { ["RateLimits:MediaStreams:PermitsPerSecond"] = "100", ["RateLimits:MediaStreams:Burst"] = "1000" });

        Assert.Equal((100, 1000), Read(options, ClientRateLimit.MediaStreams));
        Assert.Equal((50, 500), Read(options, ClientRateLimit.Webhooks));
    }

    [Theory]
    [InlineData("RateLimits:Webhooks:PermitsPerSecond", "0", "RateLimits:Webhooks:PermitsPerSecond must be between 1 and 100000.")]
    [InlineData("RateLimits:Webhooks:Burst", "-1", "RateLimits:Webhooks:Burst must be between 1 and 1000000.")]
    [InlineData("RateLimits:MediaStreams:Burst", "10", "RateLimits:MediaStreams:Burst must be at least RateLimits:MediaStreams:PermitsPerSecond (20).")]
    public void A_bad_setting_fails_naming_its_key(string key, string value, string failure)
    {
        var options = Resolve(new() { [key] = value });
        var limit = key.Contains("Webhooks", StringComparison.Ordinal) ? ClientRateLimit.Webhooks : ClientRateLimit.MediaStreams;

        var error = Assert.Throws<OptionsValidationException>(() => options.Get(limit.PolicyName));

        Assert.Equal([failure], error.Failures);
    }

    private static (int, int) Read(IOptionsMonitor<ClientRateLimitOptions> options, ClientRateLimit limit)
    {
        var value = options.Get(limit.PolicyName);
        return (value.PermitsPerSecond, value.Burst);
    }

    private static IOptionsMonitor<ClientRateLimitOptions> Resolve(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddClientRateLimit(ClientRateLimit.Webhooks);
        builder.AddClientRateLimit(ClientRateLimit.MediaStreams);
        return builder.Services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<ClientRateLimitOptions>>();
    }
}
