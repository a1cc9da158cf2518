namespace Bridge.Emulator.Wire;

/// <summary>An input frame the emulator cannot read (bad CRC, bad prelude, missing signing headers).</summary>
public sealed class FrameDecodeException(string message) : Exception(message);
