using Bridge.Bedrock;
using Bridge.NovaSonic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.NovaSonic;

public sealed class NovaSonicConfigurationTests
{
    [Theory]
    [InlineData("Bedrock:Region", "", "Bedrock:Region is required")]
    [InlineData("Bedrock:Region", "US East", "Bedrock:Region 'US East'")]
    [InlineData("Bedrock:Endpoint", "ftp://localhost", "Bedrock:Endpoint must be an absolute http(s) URL")]
    [InlineData("Conversation:RenewStreamAfter", "00:09:00", "Conversation:RenewStreamAfter must be between")]
    [InlineData("Conversation:EndpointingSensitivity", "EXTREME", "Conversation:EndpointingSensitivity must be")]
    // Each within its own bounds, but a renewal still waiting for a quiet moment at 8 minutes would come after Bedrock's limit.
    [InlineData("Conversation:RenewStreamAfter", "00:07:30", "Conversation:RenewStreamAfter plus Conversation:RenewalQuietWait must be at most")]
    public void Bad_configuration_stops_the_start_with_a_message_naming_the_key(string key, string value, string message)
    {
        using var host = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Good_configuration_registers_the_session_factory_with_the_default_model()
    {
        using var host = Build([]);

        host.Services.GetRequiredService<IStartupValidator>().Validate();

        Assert.NotNull(host.Services.GetRequiredService<NovaSonicSessionFactory>());
        Assert.Equal("amazon.nova-2-sonic-v1:0", host.Services.GetRequiredService<IOptions<BedrockOptions>>().Value.ModelId);
    }

    private static IHost Build(Dictionary<string, string?> overrides)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Bedrock:Region"] = "us-east-1" });
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.AddNovaSonic();
        return builder.Build();
    }
}
