using Bridge.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Bridge.Tests.ServiceDefaults;

public sealed class ConvertibleBindingTests
{
    [Fact]
    public void Every_convertible_setting_is_bound_and_every_other_is_named_with_its_value()
    {
        var section = Section(new()
        {
            ["Emulator:Port"] = "abc",
            ["Emulator:HealthPort"] = "",
            ["Emulator:Region"] = "eu-west-1",
            ["Emulator:SessionLimit"] = "00:01:30",
            ["Emulator:EndOfUtteranceSilence"] = "90s",
            ["Emulator:Mode"] = "loopback",
            ["Emulator:OutputSpeed"] = "fast",
            ["Emulator:ToolTriggers:0:Contains"] = "pressed 5",
        });
        var options = new EmulatorOptions { ToolTriggers = [] };

        var unconvertible = ConvertibleBinding.Bind(section, options);

        Assert.Equal(
            ["Emulator:EndOfUtteranceSilence", "Emulator:OutputSpeed", "Emulator:Port"],
            unconvertible.Select(u => u.Key).Order(StringComparer.Ordinal));
        Assert.Equal(("eu-west-1", TimeSpan.FromSeconds(90), EmulatorMode.Loopback, (int?)null), (options.Region, options.SessionLimit, options.Mode, options.HealthPort));
        Assert.Equal("pressed 5", Assert.Single(options.ToolTriggers).Contains);
        Assert.Equal((0, 4.0), (options.Port, options.OutputSpeed));
        Assert.Equal("Emulator:OutputSpeed is 'fast', which is not a number (such as 0.5).", unconvertible.Single(u => u.Key == "Emulator:OutputSpeed").Message);
    }

    [Fact]
    public void Settings_in_lists_of_objects_are_checked_too()
    {
        var unconvertible = ConvertibleBinding.Find(Section(new() { ["Outer:Items:1:Count"] = "two", ["Outer:Items:0:Count"] = "1" }), typeof(Outer));

        Assert.Equal("Outer:Items:1:Count", Assert.Single(unconvertible).Key);
    }

    [Fact]
    public void A_long_value_is_shortened_in_the_message()
    {
        var setting = new UnconvertibleSetting("Calls:MaxConcurrent", new string('9', 100), typeof(int));

        Assert.Equal($"Calls:MaxConcurrent is '{new string('9', 40)}…', which is not a whole number.", setting.Message);
    }

    private static IConfigurationSection Section(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return configuration.GetSection(settings.Keys.First().Split(':')[0]);
    }

    private sealed class Outer
    {
        public List<Item> Items { get; set; } = [];
    }

    private sealed class Item
    {
        public int Count { get; set; }
    }
}
