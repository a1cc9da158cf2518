using Bridge.Emulator;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>Starts an emulator with test-friendly options (fast pacing, short durations) and disposes it.</summary>
internal static class TestEmulator
{
    public static EmulatorOptions FastOptions(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            Port = 0,
            OutputSpeed = 20,
            SpokenTextDuration = TimeSpan.FromMilliseconds(400),
            EndOfUtteranceSilence = TimeSpan.FromMilliseconds(300),
        };
        configure?.Invoke(options);
        return options;
    }

    public static Task<EmulatorServer> StartAsync(Action<EmulatorOptions>? configure = null) =>
        EmulatorServer.StartAsync(FastOptions(configure));
}
