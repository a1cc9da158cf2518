namespace Bridge.NovaSonic;

/// <summary>
/// Keeps the history true to what the listener heard of the assistant. The model says what it plans to say (a
/// SPECULATIVE transcript) before the audio, and what it said (FINAL) once it has spoken — long before that audio has
/// played. So the history is cut back when the listener stopped hearing it (<see cref="Interrupted"/>, told by whoever
/// plays the audio); and when a stream is replaced in the middle of an answer, which will never send its FINAL
/// transcript, the words it had begun to speak go into the history the next stream is given: their audio still
/// plays, and if the listener cuts in, they are cut back the same way. Thread-safe.
/// </summary>
internal sealed class AssistantSpeech(NovaConversationHistory history)
{
    /// <summary>How many recent assistant texts are remembered as being in the history (the listener lags the model by at most the playback queue).</summary>
    private const int RecentlySaid = 16;

    /// <summary>Texts put in the history at a switch whose FINAL transcript may still come from the replaced stream.</summary>
    private const int AwaitedFinals = 4;

    private readonly Lock _lock = new();
    private readonly Queue<string> _said = new();
    private readonly List<string> _recordedAtSwitch = [];
    private string? _planned;
    private bool _plannedHasAudio;

    /// <summary>The model's plan for what it says next (its SPECULATIVE transcript), from the current stream.</summary>
    public void Planned(string text)
    {
        lock (_lock)
        {
            _planned = text;
            _plannedHasAudio = false;
        }
    }

    /// <summary>The current stream produced speech for the plan.</summary>
    public void Spoke()
    {
        lock (_lock)
        {
            _plannedHasAudio |= _planned is not null;
        }
    }

    /// <summary>The model's FINAL transcript of what it said: into the history, unless a switch already put it there.</summary>
    public void Said(string text)
    {
        lock (_lock)
        {
            if (_planned == text)
            {
                _planned = null;
            }
            if (_recordedAtSwitch.Remove(text))
            {
                return;
            }
            Remember(text);
            history.Add(NovaRole.Assistant, text);
        }
    }

    /// <summary>The model heard the caller cut in: what was heard of its plan is told through <see cref="Interrupted"/>.</summary>
    public void BargedIn()
    {
        lock (_lock)
        {
            _planned = null;
        }
    }

    /// <summary>
    /// The stream is being replaced before the next one opens: an answer it had begun to speak goes into the history
    /// now (the stream will not send its FINAL transcript, or not before the next one has its history). Nothing when
    /// no audio of the plan was produced: the listener hears none of it.
    /// </summary>
    public void StreamReplaced()
    {
        lock (_lock)
        {
            if (_planned is not { } planned || !_plannedHasAudio)
            {
                return;
            }
            _planned = null;
            Remember(planned);
            _recordedAtSwitch.Add(planned);
            if (_recordedAtSwitch.Count > AwaitedFinals)
            {
                _recordedAtSwitch.RemoveAt(0);
            }
            history.Add(NovaRole.Assistant, planned);
        }
    }

    /// <summary>
    /// The listener stopped hearing the assistant's words <paramref name="said"/> after <paramref name="heard"/> of
    /// them: words already in the history are cut back to what was heard; words not yet there are added as heard.
    /// </summary>
    public void Interrupted(string said, string heard)
    {
        lock (_lock)
        {
            if (_said.Contains(said))
            {
                if (heard != said)
                {
                    history.Truncate(NovaRole.Assistant, said, heard);
                }
            }
            else if (heard.Length > 0)
            {
                history.Add(NovaRole.Assistant, heard);
            }
            if (_planned == said)
            {
                _planned = null;
            }
        }
    }

    private void Remember(string text)
    {
        _said.Enqueue(text);
        if (_said.Count > RecentlySaid)
        {
            _said.Dequeue();
        }
    }
}
