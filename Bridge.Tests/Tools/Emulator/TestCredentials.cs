namespace Bridge.Tests.Tools.Emulator;

internal sealed record TestCredentials(string AccessKeyId, string SecretAccessKey, string Region)
{
    public static TestCredentials EmulatorDefault { get; } =
        new(Bridge.Emulator.EmulatorDefaults.AccessKeyId, Bridge.Emulator.EmulatorDefaults.SecretAccessKey, Bridge.Emulator.EmulatorDefaults.Region);
}
