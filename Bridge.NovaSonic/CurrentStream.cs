namespace Bridge.NovaSonic;

/// <summary>
/// The stream that carries the conversation now, and the switch to the next: what the caller says and the text sent
/// go to the current stream, or, while the next one opens, are held in a <see cref="HandoffBuffer"/> and replayed to
/// it. Keeps the caller's latest utterance (<see cref="UtteranceBuffer"/>) so that a stream replaced before it was
/// answered does not take it along. Thread-safe.
/// </summary>
internal sealed class CurrentStream(INovaStream first, int inputSampleRate, TimeSpan utteranceReplay)
{
    private readonly Lock _lock = new();
    private readonly UtteranceBuffer _utterance = new(inputSampleRate, utteranceReplay);
    private INovaStream _stream = first;
    private HandoffBuffer? _handoff;
    private bool _closed;

    /// <summary>The stream in use (during a switch, the one being replaced).</summary>
    public INovaStream Stream
    {
        get
        {
            lock (_lock)
            {
                return _stream;
            }
        }
    }

    /// <summary>True while the next stream is being opened and the caller's audio is held for it.</summary>
    public bool IsSwitching
    {
        get
        {
            lock (_lock)
            {
                return _handoff is not null;
            }
        }
    }

    /// <summary>Whether <paramref name="stream"/> carries the conversation, with no switch or close under way.</summary>
    public bool IsSteadyOn(INovaStream stream)
    {
        lock (_lock)
        {
            return !_closed && _handoff is null && _stream == stream;
        }
    }

    /// <summary>
    /// Sends caller audio to the stream, and keeps it for a replay (<paramref name="keepForReplay"/>) or forgets
    /// what was kept (the caller paused: the stream heard the utterance whole). During a switch the audio is held
    /// for the next stream instead. Returns the stream it went to; null when held, or after the close.
    /// </summary>
    public INovaStream? SendAudio(ReadOnlySpan<short> samples, bool keepForReplay)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return null;
            }
            if (_handoff is { } handoff)
            {
                handoff.Append(samples);
                return null;
            }
            _stream.SendAudio(samples);
            if (keepForReplay)
            {
                _utterance.Append(samples);
            }
            else
            {
                _utterance.Clear();
            }
            return _stream;
        }
    }

    /// <summary>
    /// The model turned what the caller said into a transcript (now in the history): if <paramref name="stream"/> is
    /// the current one, what was kept for a replay is not needed any more, and replaying it as well would make the next
    /// stream hear the caller twice.
    /// </summary>
    public void Transcribed(INovaStream stream)
    {
        lock (_lock)
        {
            if (_stream == stream && _handoff is null)
            {
                _utterance.Clear();
            }
        }
    }

    /// <summary>
    /// Sends with <paramref name="now"/> on the current stream; during a switch, with <paramref name="onNext"/> on the
    /// next stream once it is open (after the held audio). Nothing after the close.
    /// </summary>
    public void Send(Action<INovaStream> now, Action<INovaStream> onNext)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }
            if (_handoff is { } handoff)
            {
                handoff.Defer(onNext);
                return;
            }
            now(_stream);
        }
    }

    /// <summary>
    /// Starts a switch: from now on the caller's audio is held for the next stream, which first hears the utterance
    /// kept for a replay when <paramref name="replayUtterance"/> (the caller's last words were not answered).
    /// Returns the stream being replaced; null when a switch is already under way, or after the close.
    /// </summary>
    public INovaStream? BeginSwitch(bool replayUtterance)
    {
        lock (_lock)
        {
            if (_handoff is not null || _closed)
            {
                return null;
            }
            _handoff = new HandoffBuffer(inputSampleRate);
            if (replayUtterance)
            {
                _utterance.MoveTo(_handoff);
            }
            _utterance.Clear();
            return _stream;
        }
    }

    /// <summary>
    /// The next stream is open: it gets what was held, in order, and carries the conversation from now on. Returns
    /// false when the conversation was closed meanwhile (the caller then disposes <paramref name="next"/>).
    /// </summary>
    public bool CompleteSwitch(INovaStream next, out int replayedSamples, out int droppedSamples)
    {
        lock (_lock)
        {
            var handoff = _handoff!;
            replayedSamples = handoff.BufferedSamples;
            droppedSamples = handoff.DroppedSamples;
            if (_closed)
            {
                handoff.Release();
                return false;
            }
            handoff.ReplayInto(next);
            _stream = next;
            _handoff = null;
            return true;
        }
    }

    /// <summary>Nothing more is sent. Returns the stream in use, to be closed; null when already closed.</summary>
    public INovaStream? Close()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return null;
            }
            _closed = true;
            return _stream;
        }
    }

    /// <summary>
    /// Gives back the pooled memory of the utterance and of a switch under way (a call that ends while the caller
    /// speaks, or while the next stream opens, would keep it). After <see cref="Close"/>.
    /// </summary>
    public void ReleaseBuffers()
    {
        lock (_lock)
        {
            _utterance.Clear();
            _handoff?.Release();
        }
    }
}
