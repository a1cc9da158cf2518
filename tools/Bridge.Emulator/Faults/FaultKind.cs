namespace Bridge.Emulator.Faults;

public enum FaultKind
{
    /// <summary>The open is refused with HTTP 429 ThrottlingException, before any frame.</summary>
    Throttle,

    /// <summary>An exception frame (default modelStreamErrorException, "System instability detected...") ends the stream.</summary>
    Exception,

    /// <summary>The HTTP/2 stream is reset (RST_STREAM INTERNAL_ERROR) without a word.</summary>
    Reset,

    /// <summary>The next output frame is sent with a wrong message CRC.</summary>
    CorruptCrc,

    /// <summary>Every output frame is held back by <see cref="Fault.Delay"/> before it is sent.</summary>
    SlowOutput,
}
