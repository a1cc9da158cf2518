using System.ComponentModel.DataAnnotations;
using Bridge.Audio;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Audio;

public sealed class AudioOptionsTests
{
    [Fact]
    public void Defaults_are_8_kHz_both_ways_in_40_ms_chunks_and_valid()
    {
        var options = new AudioOptions();

        Assert.Equal(8000, options.ModelInputRate);
        Assert.Equal(8000, options.ModelOutputRate);
        Assert.Equal(80, options.ModelInputChunkMilliseconds);
        Assert.Empty(Validate(options));
    }

    [Theory]
    [InlineData("ModelInputRate", "24000", "Audio:ModelInputRate must be 8000 or 16000.")]
    [InlineData("ModelInputRate", "44100", "Audio:ModelInputRate must be 8000 or 16000.")]
    [InlineData("ModelOutputRate", "22050", "Audio:ModelOutputRate must be 8000, 16000 or 24000.")]
    [InlineData("ModelInputChunkMilliseconds", "5", "Audio:ModelInputChunkMilliseconds must be between 20 and 100.")]
    public void A_bad_value_is_reported_with_its_key(string key, string value, string message)
    {
        var options = Bind(new() { [$"Audio:{key}"] = value });

        Assert.Equal([message], Validate(options));
    }

    [Fact]
    public void Supported_rates_bind_and_validate()
    {
        var options = Bind(new() { ["Audio:ModelInputRate"] = "16000", ["Audio:ModelOutputRate"] = "24000" });

        Assert.Equal(16000, options.ModelInputRate);
        Assert.Equal(24000, options.ModelOutputRate);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void Validated_at_start_a_bad_rate_stops_with_one_message_naming_the_key()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Audio:ModelOutputRate"] = "44100" })
            .Build();
        var services = new ServiceCollection();
        services.AddOptions<AudioOptions>()
            .Bind(configuration.GetSection(AudioOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(error.Failures);
        Assert.Contains("Audio:ModelOutputRate must be 8000, 16000 or 24000.", failure);
    }

    private static AudioOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new AudioOptions();
        configuration.GetSection(AudioOptions.SectionName).Bind(options);
        return options;
    }

    private static string[] Validate(AudioOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? "").ToArray();
    }
}
