namespace Bridge.Emulator;

/// <summary>What the emulated model does with the caller's audio.</summary>
public enum EmulatorMode
{
    /// <summary>Detects utterances by energy and speaks each one back, with transcripts, like a turn of the model.</summary>
    Echo,

    /// <summary>Returns every audioInput at once as audioOutput (resampled to the output rate): for load tests.</summary>
    Loopback,
}
