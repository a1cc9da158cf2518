namespace Bridge.TwilioStandIn.Media;

/// <summary>How the simulated caller behaves on the media stream.</summary>
public sealed record MediaStreamOptions
{
    public CallerAudio Audio { get; init; } = CallerAudio.Silence;

    public IReadOnlyList<DtmfPress> Dtmf { get; init; } = [];

    /// <summary>Simulated time runs this many times faster than real time (sending and playback alike).</summary>
    public double Speed { get; init; } = 1;

    /// <summary>After its audio ends, the caller hangs up once nothing has played for this long.</summary>
    public TimeSpan HangUpAfterQuiet { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The caller hangs up at this point (stream time) whatever happens.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Keep what the caller heard (8 kHz µ-law, silence where nothing played).</summary>
    public bool RecordHeardAudio { get; init; } = true;

    /// <summary>Also hears each frame as it plays (the softphone's speakers).</summary>
    public IHeardAudioSink? Listener { get; init; }

    /// <summary>Keys a live caller presses during the call, besides the planned <see cref="Dtmf"/>.</summary>
    public CallerKeypad? Keypad { get; init; }

    /// <summary>Caller frames dropped or delayed on the way to the bridge.</summary>
    public LineImpairment Impairment { get; init; } = LineImpairment.None;

    /// <summary>
    /// Send what one 20 ms tick queues (a caller frame, the marks it echoes) in one write on the connection, when the
    /// connection allows it; false writes each message on its own. The WebSocket frames are the same either way.
    /// </summary>
    public bool BatchWrites { get; init; } = true;

    /// <summary>Real time to wait for the server's close frame once the caller hung up.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
