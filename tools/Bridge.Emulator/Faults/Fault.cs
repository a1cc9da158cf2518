namespace Bridge.Emulator.Faults;

/// <summary>
/// One fault to inject into a stream. It fires once <see cref="AfterInputEvents"/> input events have arrived,
/// or <see cref="AfterTime"/> after the stream opened when that is set. Throttle and slow output apply from the open.
/// </summary>
public sealed record Fault(FaultKind Kind)
{
    public int AfterInputEvents { get; init; } = 1;

    public TimeSpan? AfterTime { get; init; }

    /// <summary>For <see cref="FaultKind.Exception"/>: the :exception-type, e.g. modelStreamErrorException.</summary>
    public string ExceptionType { get; init; } = ExceptionTypes.ModelStreamError;

    /// <summary>For <see cref="FaultKind.Exception"/>: the message; null uses the usual one for the type.</summary>
    public string? Message { get; init; }

    /// <summary>For <see cref="FaultKind.SlowOutput"/>: the hold-back per output frame.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(200);
}
