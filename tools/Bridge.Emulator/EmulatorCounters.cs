namespace Bridge.Emulator;

/// <summary>Live counts of what the emulator has seen and done; safe to read from any thread at any time.</summary>
public sealed class EmulatorCounters
{
    private long _openStreams;
    private long _streamsOpened;
    private long _framesReceived;
    private long _framesSent;
    private long _requestsRefused;
    private long _exceptionsSent;
    private long _streamsReset;

    /// <summary>Model streams open now (accepted and not yet finished).</summary>
    public long OpenStreams => Interlocked.Read(ref _openStreams);

    /// <summary>Model streams ever accepted (signature verified, not throttled).</summary>
    public long StreamsOpened => Interlocked.Read(ref _streamsOpened);

    /// <summary>Signed input frames received, including the empty one that ends an input.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    /// <summary>Output frames written: event chunks and exceptions.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Requests refused before a stream opened (bad signature, throttled, unknown model).</summary>
    public long RequestsRefused => Interlocked.Read(ref _requestsRefused);

    /// <summary>Exception frames sent (protocol violations, bad chunk signatures, faults, session limits).</summary>
    public long ExceptionsSent => Interlocked.Read(ref _exceptionsSent);

    /// <summary>Streams reset by an injected fault.</summary>
    public long StreamsReset => Interlocked.Read(ref _streamsReset);

    /// <summary>Everything that went wrong: refusals, exceptions and resets.</summary>
    public long Errors => RequestsRefused + ExceptionsSent + StreamsReset;

    internal void StreamOpened()
    {
        Interlocked.Increment(ref _streamsOpened);
        Interlocked.Increment(ref _openStreams);
    }

    internal void StreamClosed() => Interlocked.Decrement(ref _openStreams);

    internal void FrameReceived() => Interlocked.Increment(ref _framesReceived);

    internal void FrameSent() => Interlocked.Increment(ref _framesSent);

    internal void RequestRefused() => Interlocked.Increment(ref _requestsRefused);

    internal void ExceptionSent() => Interlocked.Increment(ref _exceptionsSent);

    internal void StreamReset() => Interlocked.Increment(ref _streamsReset);
}
